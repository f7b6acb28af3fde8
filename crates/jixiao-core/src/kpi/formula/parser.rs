//! Tokens, the syntax tree and a recursive-descent parser with a nesting limit.
//!
//! ```text
//! expr    := term (("+" | "-") term)*
//! term    := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | name | name "(" expr ("," expr)* ")" | "(" expr ")"
//! ```

use rust_decimal::Decimal;

use super::FormulaError;

/// A node of the syntax tree and the 1-based column it starts at (operators: the operator's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    pub kind: Kind,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Num(Decimal),
    Measure(String),
    Neg(Box<Node>),
    Bin(Op, Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Func {
    Min,
    Max,
    Round,
    IfZero,
}

impl Func {
    pub const ALL: [Func; 4] = [Func::Min, Func::Max, Func::Round, Func::IfZero];

    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Round => "round",
            Func::IfZero => "if_zero",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Open,
    Close,
    Comma,
    End,
}

fn syntax(column: usize, message: impl Into<String>) -> FormulaError {
    FormulaError::Syntax {
        column,
        message: message.into(),
    }
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (c, col) = (chars[i], i + 1);
        let single = match c {
            '+' => Some(Tok::Plus),
            '-' => Some(Tok::Minus),
            '*' => Some(Tok::Star),
            '/' => Some(Tok::Slash),
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            ',' => Some(Tok::Comma),
            _ => None,
        };
        if let Some(t) = single {
            out.push((t, col));
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    return Err(syntax(i + 1, "expected a digit after the decimal point"));
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let s: String = chars[start..i].iter().collect();
            let n = Decimal::from_str_exact(&s)
                .map_err(|_| syntax(col, format!("the number {s} has too many digits")))?;
            out.push((Tok::Num(n), col));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Name(chars[start..i].iter().collect()), col));
        } else {
            return Err(syntax(col, format!("unexpected character {c:?}")));
        }
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    max_depth: usize,
}

/// Parses `text`; nesting (parentheses, unary minus, function calls) beyond `max_depth` fails.
pub(super) fn parse(text: &str, max_depth: usize) -> Result<Node, FormulaError> {
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
        depth: 0,
        max_depth,
    };
    if p.peek() == &Tok::End {
        return Err(syntax(1, "the formula is empty"));
    }
    let node = p.expr()?;
    match p.peek() {
        Tok::End => Ok(node),
        Tok::Close => Err(syntax(p.col(), "unmatched closing parenthesis")),
        _ => Err(syntax(p.col(), "expected an operator (+ - * /)")),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn col(&self) -> usize {
        self.toks[self.pos].1
    }

    fn bump(&mut self) -> (Tok, usize) {
        let t = self.toks[self.pos].clone();
        if t.0 != Tok::End {
            self.pos += 1;
        }
        t
    }

    fn enter(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(FormulaError::TooDeep {
                max: self.max_depth,
            });
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.term()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => Op::Add,
                Tok::Minus => Op::Sub,
                _ => return Ok(left),
            };
            let (_, col) = self.bump();
            let right = self.term()?;
            left = bin(op, col, left, right);
        }
    }

    fn term(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => Op::Mul,
                Tok::Slash => Op::Div,
                _ => return Ok(left),
            };
            let (_, col) = self.bump();
            let right = self.unary()?;
            left = bin(op, col, left, right);
        }
    }

    fn unary(&mut self) -> Result<Node, FormulaError> {
        if self.peek() != &Tok::Minus {
            return self.primary();
        }
        let (_, col) = self.bump();
        self.enter()?;
        let inner = self.unary()?;
        self.depth -= 1;
        Ok(Node {
            kind: Kind::Neg(Box::new(inner)),
            col,
        })
    }

    fn primary(&mut self) -> Result<Node, FormulaError> {
        let (tok, col) = self.bump();
        match tok {
            Tok::Num(n) => Ok(Node {
                kind: Kind::Num(n),
                col,
            }),
            Tok::Name(name) if self.peek() == &Tok::Open => self.call(name, col),
            Tok::Name(name) => Ok(Node {
                kind: Kind::Measure(name),
                col,
            }),
            Tok::Open => {
                self.enter()?;
                let inner = self.expr()?;
                self.expect_close(col)?;
                self.depth -= 1;
                Ok(inner)
            }
            Tok::End => Err(syntax(col, "the formula ends where a value was expected")),
            Tok::Close => Err(syntax(col, "expected a value before )")),
            _ => Err(syntax(col, "expected a number, a measure or (")),
        }
    }

    fn call(&mut self, name: String, col: usize) -> Result<Node, FormulaError> {
        let Some(func) = Func::ALL.into_iter().find(|f| f.name() == name) else {
            let suggestion =
                crate::kpi::measures::suggest(&name, Func::ALL.map(Func::name).into_iter());
            return Err(FormulaError::UnknownFunction {
                name,
                column: col,
                suggestion: suggestion.map(str::to_string),
            });
        };
        self.bump(); // (
        self.enter()?;
        let mut args = vec![self.expr()?];
        while self.peek() == &Tok::Comma {
            self.bump();
            args.push(self.expr()?);
        }
        self.expect_close(col)?;
        self.depth -= 1;
        let expected = match func {
            Func::Min | Func::Max | Func::Round | Func::IfZero => 2,
        };
        if args.len() != expected {
            return Err(FormulaError::Arity {
                function: func.name(),
                column: col,
                expected,
                found: args.len(),
            });
        }
        Ok(Node {
            kind: Kind::Call(func, args),
            col,
        })
    }

    fn expect_close(&mut self, open_col: usize) -> Result<(), FormulaError> {
        match self.peek() {
            Tok::Close => {
                self.bump();
                Ok(())
            }
            Tok::End => Err(syntax(
                self.col(),
                format!("the parenthesis opened at character {open_col} is not closed"),
            )),
            _ => Err(syntax(self.col(), "expected , or ) or an operator")),
        }
    }
}

fn bin(op: Op, col: usize, l: Node, r: Node) -> Node {
    Node {
        kind: Kind::Bin(op, Box::new(l), Box::new(r)),
        col,
    }
}

/// Levels of the tree: a lone value is 1; `a + b` is 2.
pub(super) fn depth(n: &Node) -> usize {
    1 + match &n.kind {
        Kind::Num(_) | Kind::Measure(_) => 0,
        Kind::Neg(x) => depth(x),
        Kind::Bin(_, l, r) => depth(l).max(depth(r)),
        Kind::Call(_, args) => args.iter().map(depth).max().unwrap_or(0),
    }
}
