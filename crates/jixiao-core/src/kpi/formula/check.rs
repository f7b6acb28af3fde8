//! Save-time checks: every name is a known measure, units agree, and round's places are a
//! whole number. A number literal takes the unit of what it is added to (`talk_secs + 5`).

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::FormulaError;
use super::parser::{Func, Kind, Node, Op};
use crate::kpi::measures::MeasureCatalog;
use crate::kpi::units::Dimension;

/// The most decimal places `round` may keep.
pub const MAX_ROUND_DP: u32 = 10;

#[derive(Debug, Clone, Copy)]
struct Ty {
    dim: Dimension,
    /// Built from number literals only, so it adapts to the other side of + and −.
    literal: bool,
}

/// Checks `node` and returns the dimension of its result and the measures it reads.
pub(super) fn check(
    node: &Node,
    catalog: &MeasureCatalog,
) -> Result<(Dimension, BTreeSet<String>), FormulaError> {
    let mut used = BTreeSet::new();
    let ty = walk(node, catalog, &mut used)?;
    Ok((ty.dim, used))
}

fn walk(n: &Node, cat: &MeasureCatalog, used: &mut BTreeSet<String>) -> Result<Ty, FormulaError> {
    match &n.kind {
        Kind::Num(_) => Ok(Ty {
            dim: Dimension::NUMBER,
            literal: true,
        }),
        Kind::Measure(name) => match cat.get(name) {
            Some(m) => {
                used.insert(name.clone());
                Ok(Ty {
                    dim: m.unit.dimension(),
                    literal: false,
                })
            }
            None => Err(FormulaError::UnknownMeasure {
                name: name.clone(),
                column: n.col,
                suggestion: cat.suggest(name).map(str::to_string),
            }),
        },
        Kind::Neg(x) => walk(x, cat, used),
        Kind::Bin(op, l, r) => {
            let (a, b) = (walk(l, cat, used)?, walk(r, cat, used)?);
            let literal = a.literal && b.literal;
            let dim = match op {
                Op::Add => same(a, b, "add", n.col)?,
                Op::Sub => same(a, b, "subtract", n.col)?,
                Op::Mul => a.dim.times(b.dim).ok_or_else(|| exotic(n.col))?,
                Op::Div => a.dim.per(b.dim).ok_or_else(|| exotic(n.col))?,
            };
            Ok(Ty { dim, literal })
        }
        Kind::Call(func, args) => {
            let tys = args
                .iter()
                .map(|a| walk(a, cat, used))
                .collect::<Result<Vec<_>, _>>()?;
            match func {
                Func::Round => {
                    round_places(&args[1], n.col)?;
                    Ok(tys[0])
                }
                Func::Min | Func::Max => Ok(Ty {
                    dim: same(tys[0], tys[1], "compare", n.col)?,
                    literal: tys[0].literal && tys[1].literal,
                }),
                Func::IfZero => Ok(Ty {
                    dim: same(tys[0], tys[1], "choose between", n.col)?,
                    literal: tys[0].literal && tys[1].literal,
                }),
            }
        }
    }
}

fn same(a: Ty, b: Ty, operation: &'static str, column: usize) -> Result<Dimension, FormulaError> {
    if a.literal {
        Ok(b.dim)
    } else if b.literal || a.dim == b.dim {
        Ok(a.dim)
    } else {
        Err(FormulaError::UnitMismatch {
            operation,
            column,
            left: a.dim.to_string(),
            right: b.dim.to_string(),
        })
    }
}

fn exotic(column: usize) -> FormulaError {
    FormulaError::BadArgument {
        function: "*",
        column,
        reason: "the unit of this product is too exotic to be a KPI".into(),
    }
}

/// round's second argument: a whole-number literal from 0 to [`MAX_ROUND_DP`].
pub(super) fn round_places(arg: &Node, column: usize) -> Result<u32, FormulaError> {
    let bad = || FormulaError::BadArgument {
        function: "round",
        column,
        reason: format!("the decimal places must be a whole number from 0 to {MAX_ROUND_DP}"),
    };
    match &arg.kind {
        Kind::Num(d) if d.fract().is_zero() && *d <= Decimal::from(MAX_ROUND_DP) => {
            d.to_u32().ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}
