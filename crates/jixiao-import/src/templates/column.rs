//! The vocabulary of the column descriptions: whether a column is required, how its values are
//! written, and one column's description.

/// Whether a column needs a value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Req {
    /// Always.
    Yes,
    /// Never.
    No,
    /// Only in some rows: (Chinese, English) condition.
    When(&'static str, &'static str),
}

/// How a column's values are written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fmt {
    Text,
    DateTime,
    Date,
    Secs,
    Count,
    Bool,
    Money,
    Quantity,
    Agent,
    Code,
    Outcome,
    Channel,
    Score5,
    Score100,
}

impl Fmt {
    /// (Chinese, English) description.
    pub(crate) fn describe(self) -> (&'static str, &'static str) {
        match self {
            Fmt::Text => ("文本", "text"),
            Fmt::DateTime => (
                "日期时间 YYYY-MM-DD HH:MM:SS（本中心当地时间）",
                "date and time YYYY-MM-DD HH:MM:SS (the center's local time)",
            ),
            Fmt::Date => ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
            Fmt::Secs => ("秒数（整数）或 H:MM:SS", "whole seconds, or H:MM:SS"),
            Fmt::Count => ("非负整数", "whole number ≥ 0"),
            Fmt::Bool => (
                "true/false、1/0、yes/no 或 是/否",
                "true/false, 1/0, yes/no or 是/否",
            ),
            Fmt::Money => (
                "金额（元），不小于 0，最多两位小数",
                "amount in yuan, ≥ 0, at most 2 decimals",
            ),
            Fmt::Quantity => (
                "数量，不小于 0，最多两位小数",
                "quantity ≥ 0, at most 2 decimals",
            ),
            Fmt::Agent => (
                "工号，或来源系统中的坐席名称（别名），最长 64 字",
                "employee number, or the source's name for the agent (alias), up to 64 characters",
            ),
            Fmt::Code => (
                "代码：字母、数字、- 和 _，最长 32 位",
                "code: letters, digits, - and _, up to 32",
            ),
            Fmt::Outcome => (
                "answered（接通）、transferred（转接）、abandoned（放弃）或 callback（排队中要求回拨）",
                "answered, transferred, abandoned, or callback (asked to be called back while queued)",
            ),
            Fmt::Channel => (
                "voice（电话，空白即此）、chat（在线）或 email（邮件）",
                "voice (the default when empty), chat or email",
            ),
            Fmt::Score5 => ("1–5 的整数", "whole number 1–5"),
            Fmt::Score100 => ("0–100 的数，可带小数", "number 0–100, decimals allowed"),
        }
    }
}

/// One column of a template.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    /// The canonical column name (the header cell).
    pub name: &'static str,
    /// Chinese label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
    /// Whether a value is needed.
    pub req: Req,
    /// The format.
    pub fmt: Fmt,
    /// The example row's value.
    pub example: &'static str,
}

pub(crate) const fn c(
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    req: Req,
    fmt: Fmt,
    example: &'static str,
) -> Spec {
    Spec {
        name,
        zh,
        en,
        req,
        fmt,
        example,
    }
}
