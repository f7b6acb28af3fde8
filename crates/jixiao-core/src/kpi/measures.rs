//! The base measures a center tallies: summable counts, durations and amounts that every KPI
//! is a formula over. Names are stable: the store feeds them by name, formulas refer to them
//! by name, and closed periods keep them in their snapshots.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::units::Unit;

/// One base measure: a sum over records, never a ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureDef {
    /// The stable name, `[a-z_][a-z0-9_]*`.
    pub name: String,
    /// Its unit.
    pub unit: Unit,
    /// What is counted, in English.
    pub description_en: String,
    /// What is counted, in Chinese.
    pub description_zh: String,
}

/// The measures formulas may use, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MeasureCatalog {
    by_name: BTreeMap<String, MeasureDef>,
}

/// Whether `s` is a well-formed measure or KPI name: `[a-z_][a-z0-9_]*`, at most 64 bytes.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && s.len() <= 64
}

impl MeasureCatalog {
    /// The standard measures of a contact center (see docs/KPIS.md).
    pub fn standard() -> MeasureCatalog {
        let mut c = MeasureCatalog::default();
        for (name, unit, en, zh) in STANDARD {
            c.by_name.insert(
                name.to_string(),
                MeasureDef {
                    name: name.to_string(),
                    unit: *unit,
                    description_en: en.to_string(),
                    description_zh: zh.to_string(),
                },
            );
        }
        c
    }

    /// Adds or replaces a measure (a center's own tally); the name must be well formed.
    pub fn with(mut self, def: MeasureDef) -> Result<MeasureCatalog, crate::CoreError> {
        if !is_name(&def.name) {
            return Err(crate::CoreError::invalid(
                "measure name",
                &def.name,
                "expected lower-case letters, digits and _, not starting with a digit",
            ));
        }
        self.by_name.insert(def.name.clone(), def);
        Ok(self)
    }

    /// The measure called `name`.
    pub fn get(&self, name: &str) -> Option<&MeasureDef> {
        self.by_name.get(name)
    }

    /// Every measure, by name.
    pub fn iter(&self) -> impl Iterator<Item = &MeasureDef> {
        self.by_name.values()
    }

    /// The known name closest to a misspelt one, if one is close enough to be a likely typo.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        suggest(name, self.by_name.keys().map(String::as_str))
    }
}

/// The candidate closest to `name` by edit distance (case-insensitive), if within a third of
/// its length (at least 1, at most 3 edits); ties go to the alphabetically first.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    candidates
        .map(|c| (edit_distance(&lower, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != *cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

use Unit::{Count, Minutes, Money, Points, Score, Seconds};

// One row per measure, kept as a table because the rows are data to compare side by side.
#[rustfmt::skip]
const STANDARD: &[(&str, Unit, &str, &str)] = &[
    ("offered", Count, "Calls that reached the queue (answered + abandoned; call-back requests excluded)", "进线量：进入队列的来电（接通＋放弃，不含预约回拨）"),
    ("answered", Count, "Calls answered by an agent", "接通量：由坐席接起的来电"),
    ("handled", Count, "Interactions answered or transferred by this agent", "处理量：本坐席接起或转接的会话"),
    ("abandoned", Count, "Calls the caller hung up in queue, short abandons included", "放弃量：排队中挂断的来电（含短时放弃）"),
    ("short_abandoned", Count, "Abandoned within the short-abandon threshold (default 5 s)", "短时放弃量：短时放弃阈值（默认 5 秒）内挂断"),
    ("answered_within_threshold", Count, "Answered within the service-level threshold (default 20 s)", "阈值内接通量：服务水平阈值（默认 20 秒）内接通"),
    ("wait_secs_answered", Seconds, "Σ queue seconds of answered calls", "接通来电的排队秒数合计"),
    ("talk_secs", Seconds, "Σ talk seconds of handled interactions", "通话秒数合计"),
    ("hold_secs", Seconds, "Σ hold seconds of handled interactions", "保持秒数合计"),
    ("acw_secs", Seconds, "Σ after-call-work seconds of handled interactions", "话后处理秒数合计"),
    ("handle_secs", Seconds, "Σ talk + hold + after-call work of handled interactions", "处理秒数合计（通话＋保持＋话后）"),
    ("transferred", Count, "Handled interactions the agent transferred on", "转接量：本坐席转出的会话"),
    ("repeat_contacts", Count, "Handled contacts followed by another from the same customer within the repeat window (default 7 days)", "重复来电量：重复窗口（默认 7 天）内同一客户再次来电的会话"),
    ("first_contact_resolved", Count, "Handled contacts with a customer id and no repeat from that customer within the repeat window", "首次解决量：有客户标识、重复窗口内该客户未再来电的会话"),
    ("surveys", Count, "Satisfaction answers on the 1–5 scale", "满意度评价数（1–5 分）"),
    ("surveys_top2", Count, "Satisfaction answers scoring 4 or 5", "满意度 4–5 分评价数"),
    ("nps_responses", Count, "Answers to the 0–10 recommend question", "推荐度（0–10 分）回答数"),
    ("promoters", Count, "Recommend answers of 9 or 10", "推荐者数（9–10 分）"),
    ("detractors", Count, "Recommend answers of 0 to 6", "贬损者数（0–6 分）"),
    ("qa_reviews", Count, "QA reviews", "质检条数"),
    ("qa_score_sum", Score, "Σ QA form scores, a critical failure counted as 0", "质检得分合计（致命错误计 0 分）"),
    ("qa_critical_failures", Count, "QA reviews with a critical failure", "致命错误条数"),
    ("shifts", Count, "Rostered shifts", "排班班次数"),
    ("scheduled_mins", Minutes, "Σ rostered minutes", "排班分钟数合计"),
    ("worked_mins", Minutes, "Σ minutes actually worked", "实际出勤分钟数合计"),
    ("absent_mins", Minutes, "Σ rostered minutes missed through absence", "缺勤分钟数合计"),
    ("late_count", Count, "Shifts started late", "迟到次数"),
    ("late_mins", Minutes, "Σ minutes late at shift start", "迟到分钟数合计"),
    ("tickets", Count, "Tickets created", "工单创建数"),
    ("tickets_responded", Count, "Tickets with a first response", "已首次响应工单数"),
    ("first_response_secs", Seconds, "Σ seconds from ticket creation to first response", "工单首次响应秒数合计"),
    ("tickets_resolved", Count, "Tickets resolved", "已解决工单数"),
    ("resolution_secs", Seconds, "Σ seconds from ticket creation to resolution", "工单解决秒数合计"),
    ("sla_met", Count, "Tickets that met their SLA", "达成 SLA 的工单数"),
    ("sla_total", Count, "Tickets with a known SLA outcome", "有 SLA 结果的工单数"),
    ("reopened", Count, "Resolved tickets reopened at least once", "被重新打开的已解决工单数"),
    ("chat_sessions", Count, "Chat sessions served", "接待会话数"),
    ("chat_sessions_responded", Count, "Chat sessions with an agent reply", "已回复会话数"),
    ("chat_first_response_secs", Seconds, "Σ seconds from the customer's first message to the first reply", "首次响应秒数合计"),
    ("chat_replies", Count, "Reply rounds: agent replies to waiting customer messages", "回复轮次"),
    ("chat_response_secs", Seconds, "Σ seconds customers waited over all reply rounds", "响应等待秒数合计"),
    ("inquiries", Count, "Pre-sale inquiries (询单): buyers with an inquiry session, once per agent per day", "询单人数：有询单会话的买家，每坐席每天计一次"),
    ("inquiries_converted", Count, "Inquiries whose buyer paid an order credited to this agent", "询单后付款人数：付款订单归属本坐席的询单买家"),
    ("orders_paid", Count, "Paid orders credited to this agent", "成交订单数"),
    ("buyers_paid", Count, "Distinct buyers of paid orders credited to this agent", "成交买家数"),
    ("order_amount", Money, "Σ amount of paid orders credited to this agent", "成交金额合计"),
    ("orders_refunded", Count, "Paid orders with a refund", "退款订单数"),
    ("refund_amount", Money, "Σ amount refunded on orders credited to this agent", "退款金额合计"),
    ("complaints_upheld", Count, "Customer complaints upheld against the agent", "有效投诉数"),
    ("journey_findings", Count, "Deficient service-journey stages attributed to the employee by a survey", "全流程满意度问题数：回访评价不达标、归属本人的服务环节"),
    ("behaviour_ratings", Count, "Behaviour ratings a supervisor gave (one per agent, team and period)", "行为评价次数（每坐席每组每期一次）"),
    ("behaviour_score_sum", Score, "Σ scores of the behaviour ratings' anchored levels (level 3 = 60 on the standard scale)", "行为评价得分合计（标准量表 3 级 = 60 分）"),
    ("work_items", Count, "Countable work items outside interactions", "其他工作量（件）"),
    ("points", Points, "Workload points: Σ quantity × the point standard of its type", "绩效积分：Σ 工作量 × 所属业务类型的积分标准"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_measure_has_a_well_formed_unique_name_and_both_descriptions() {
        let c = MeasureCatalog::standard();
        assert_eq!(c.iter().count(), STANDARD.len());
        for m in c.iter() {
            assert!(is_name(&m.name), "{}", m.name);
            assert!(!m.description_en.is_empty() && !m.description_zh.is_empty());
        }
    }

    #[test]
    fn a_misspelt_measure_suggests_the_nearest_name() {
        let c = MeasureCatalog::standard();
        assert_eq!(c.suggest("ofered"), Some("offered"));
        assert_eq!(c.suggest("Handled"), Some("handled"));
        assert_eq!(c.suggest("talk_sec"), Some("talk_secs"));
        assert_eq!(c.suggest("zzzzzzzz"), None);
    }

    #[test]
    fn a_custom_measure_needs_a_well_formed_name() {
        let def = |name: &str| MeasureDef {
            name: name.into(),
            unit: Unit::Count,
            description_en: "x".into(),
            description_zh: "x".into(),
        };
        let c = MeasureCatalog::standard()
            .with(def("callbacks_made"))
            .unwrap();
        assert!(c.get("callbacks_made").is_some());
        assert!(MeasureCatalog::standard().with(def("9lives")).is_err());
        assert!(MeasureCatalog::standard().with(def("Bad-Name")).is_err());
    }
}
