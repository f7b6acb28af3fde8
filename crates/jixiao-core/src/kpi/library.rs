//! The standard KPI library as formulas over base measures, and versioned KPI definitions.
//! Each KPI's published definition and the variant chosen are written out in docs/KPIS.md.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Direction;
use super::VALUE_DP;
use super::formula::{DivZero, Formula, FormulaError, FormulaSpec};
use super::measures::{MeasureCatalog, is_name};
use super::totals::MeasureTotals;
use super::units::Unit;
use crate::CoreError;
use crate::money::round_half_up;

/// Workload indicators (how much) and quality indicators (how well) stay distinct classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiClass {
    /// Volumes and points.
    Workload,
    /// Speed, resolution, satisfaction, quality, attendance, sales conversion.
    Quality,
}

/// A KPI definition as configured and stored. A closed period keeps the definitions it was
/// computed with, so a definition is never edited in place: a change is a new `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiDefinition {
    /// The stable code, `[a-z_][a-z0-9_]*`.
    pub code: String,
    /// Version of this code's definition, from 1.
    pub version: u32,
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// The formula over base measures.
    pub formula: FormulaSpec,
    /// The unit of the value.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Workload or quality.
    pub class: KpiClass,
}

impl KpiDefinition {
    /// Checks the code, the version, the formula and that its unit is the declared one.
    pub fn compile(&self, catalog: &MeasureCatalog) -> Result<Formula, CoreError> {
        if !is_name(&self.code) {
            return Err(CoreError::invalid(
                "KPI code",
                &self.code,
                "expected lower-case letters, digits and _, not starting with a digit",
            ));
        }
        if self.version == 0 {
            return Err(CoreError::invalid(
                "KPI version",
                "0",
                "versions start at 1",
            ));
        }
        let f = self.formula.compile(catalog)?;
        f.check_unit(self.unit)?;
        Ok(f)
    }
}

/// Evaluates a compiled KPI on summed measures and rounds it half away from zero to
/// [`VALUE_DP`] places, as every KPI value is shown and scored. `None` is "no data".
pub fn kpi_value(f: &Formula, totals: &MeasureTotals) -> Result<Option<Decimal>, FormulaError> {
    Ok(f.evaluate(totals)?.map(|v| round_half_up(v, VALUE_DP)))
}

/// A KPI of the standard library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardKpi {
    /// The stable code; the first five match [`super::KpiCode`].
    pub code: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// The formula.
    pub formula: &'static str,
    /// The unit of the value.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Workload or quality.
    pub class: KpiClass,
}

impl StandardKpi {
    /// Version 1 of this KPI as a stored definition; ratios have no data when their
    /// denominator is 0.
    pub fn definition(&self) -> KpiDefinition {
        KpiDefinition {
            code: self.code.into(),
            version: 1,
            name_en: self.name_en.into(),
            name_zh: self.name_zh.into(),
            formula: FormulaSpec {
                text: self.formula.into(),
                div_zero: DivZero::NoData,
            },
            unit: self.unit,
            direction: self.direction,
            class: self.class,
        }
    }
}

/// The standard KPI with this code.
pub fn standard_kpi(code: &str) -> Option<&'static StandardKpi> {
    STANDARD_KPIS.iter().find(|k| k.code == code)
}

use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
use KpiClass::{Quality as Q, Workload as W};
use Unit::{Count, Money, Percent, Points, Score, Seconds};

/// The standard KPI library, in display order.
// A table, because the rows are compared side by side with docs/KPIS.md.
#[rustfmt::skip]
pub const STANDARD_KPIS: &[StandardKpi] = &[
    k("handled", "Handled interactions", "接听量", "handled", Count, Up, W),
    k("points", "Workload points", "绩效积分", "points", Points, Up, W),
    k("aht", "Average handle time", "平均处理时长", "handle_secs / handled", Seconds, Down, Q),
    k("csat", "Customer satisfaction (top-2-box)", "满意度", "surveys_top2 / surveys * 100", Percent, Up, Q),
    k("qa", "Quality score", "质检得分", "qa_score_sum / qa_reviews", Score, Up, Q),
    k("acw", "Average after-call work", "平均话后处理时长", "acw_secs / handled", Seconds, Down, Q),
    k("asa", "Average speed of answer", "平均应答速度", "wait_secs_answered / answered", Seconds, Down, Q),
    k("service_level", "Service level", "服务水平", "answered_within_threshold / (offered - short_abandoned) * 100", Percent, Up, Q),
    k("abandonment_rate", "Abandonment rate", "放弃率", "(abandoned - short_abandoned) / (offered - short_abandoned) * 100", Percent, Down, Q),
    k("fcr", "First contact resolution", "首次解决率", "first_contact_resolved / (first_contact_resolved + repeat_contacts) * 100", Percent, Up, Q),
    k("repeat_contact_rate", "Repeat-contact rate", "重复来电率", "repeat_contacts / (first_contact_resolved + repeat_contacts) * 100", Percent, Down, Q),
    k("transfer_rate", "Transfer rate", "转接率", "transferred / handled * 100", Percent, Down, Q),
    k("nps", "Net promoter score", "净推荐值", "(promoters - detractors) / nps_responses * 100", Percent, Up, Q),
    k("qa_critical_rate", "Critical-failure rate", "致命错误率", "qa_critical_failures / qa_reviews * 100", Percent, Down, Q),
    k("attendance_rate", "Attendance rate", "出勤率", "(scheduled_mins - absent_mins) / scheduled_mins * 100", Percent, Up, Q),
    k("lateness_rate", "Lateness rate", "迟到率", "late_count / shifts * 100", Percent, Down, Q),
    k("ticket_first_response", "Ticket first response time", "工单首次响应时长", "first_response_secs / tickets_responded", Seconds, Down, Q),
    k("ticket_resolution", "Ticket resolution time", "工单解决时长", "resolution_secs / tickets_resolved", Seconds, Down, Q),
    k("sla_met_rate", "SLA met", "SLA 达成率", "sla_met / sla_total * 100", Percent, Up, Q),
    k("reopen_rate", "Reopen rate", "重开率", "reopened / tickets_resolved * 100", Percent, Down, Q),
    k("inquiry_conversion", "Inquiry-to-order conversion", "询单转化率", "inquiries_converted / inquiries * 100", Percent, Up, Q),
    k("chat_first_response", "Chat first response time", "首次响应时间", "chat_first_response_secs / chat_sessions_responded", Seconds, Down, Q),
    k("chat_avg_response", "Chat average response time", "平均响应时间", "chat_response_secs / chat_replies", Seconds, Down, Q),
    k("avg_order_value", "Average order value per buyer", "客单价", "order_amount / buyers_paid", Money, Up, Q),
    k("refund_rate", "Refund rate", "退款率", "orders_refunded / orders_paid * 100", Percent, Down, Q),
    k("complaints_upheld", "Upheld complaints", "有效投诉数", "complaints_upheld", Count, Down, Q),
    k("journey_findings", "Journey survey findings", "全流程满意度问题数", "journey_findings", Count, Down, Q),
    k("behaviour", "Behaviour rating", "行为评价", "behaviour_score_sum / behaviour_ratings", Score, Up, Q),
    k("tickets_resolved", "Tickets resolved", "工单解决量", "tickets_resolved", Count, Up, W),
    k("chat_sessions", "Chat sessions", "接待量", "chat_sessions", Count, Up, W),
];

const fn k(
    code: &'static str,
    name_en: &'static str,
    name_zh: &'static str,
    formula: &'static str,
    unit: Unit,
    direction: Direction,
    class: KpiClass,
) -> StandardKpi {
    StandardKpi {
        code,
        name_en,
        name_zh,
        formula,
        unit,
        direction,
        class,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rust_decimal::dec;

    use super::*;
    use crate::kpi::{KpiCode, Partial, TypeTally};
    use crate::org::TypeCode;

    #[test]
    fn every_standard_kpi_compiles_in_its_declared_unit_with_a_unique_code() {
        let cat = MeasureCatalog::standard();
        for (i, k) in STANDARD_KPIS.iter().enumerate() {
            k.definition()
                .compile(&cat)
                .unwrap_or_else(|e| panic!("{}: {e}", k.code));
            assert!(
                STANDARD_KPIS[..i].iter().all(|o| o.code != k.code),
                "{}",
                k.code
            );
        }
    }

    #[test]
    fn the_library_agrees_with_the_kpi_codes_scored_today() {
        let inq = TypeCode::parse("INQ").unwrap();
        let mut p = Partial::default();
        p.by_type.insert(
            inq.clone(),
            TypeTally {
                handled: 3,
                talk_secs: 500,
                hold_secs: 20,
                acw_secs: 81,
            },
        );
        (p.survey_answers, p.survey_top2) = (3, 2);
        (p.qa_reviews, p.qa_score_sum, p.qa_critical) = (2, dec!(91.5), 1);
        let coef = BTreeMap::from([(inq, dec!(1.5))]);
        let totals = MeasureTotals::from_partial(&p, &coef).unwrap();
        let cat = MeasureCatalog::standard();
        for code in KpiCode::ALL {
            let k = standard_kpi(code.as_str()).unwrap();
            assert_eq!(k.direction, code.direction(), "{}", k.code);
            let f = k.definition().compile(&cat).unwrap();
            let expected = p.evaluate(code, &coef).value;
            assert_eq!(kpi_value(&f, &totals).unwrap(), expected, "{}", k.code);
        }
    }

    #[test]
    fn a_definition_with_a_bad_code_version_or_unit_is_rejected() {
        let cat = MeasureCatalog::standard();
        let mut d = standard_kpi("aht").unwrap().definition();
        d.unit = Unit::Percent;
        let e = d.compile(&cat).unwrap_err();
        assert_eq!(e.code(), "formula_wrong_unit");
        let mut d = standard_kpi("aht").unwrap().definition();
        d.version = 0;
        assert_eq!(d.compile(&cat).unwrap_err().code(), "invalid_value");
        d.version = 2;
        d.code = "AHT-2".into();
        assert_eq!(d.compile(&cat).unwrap_err().code(), "invalid_value");
    }

    #[test]
    fn a_custom_kpi_is_a_formula_over_base_measures() {
        let d = KpiDefinition {
            code: "sl_20s".into(),
            version: 1,
            name_en: "Answered within 20 s".into(),
            name_zh: "20 秒接通率".into(),
            formula: FormulaSpec {
                text: "answered_within_threshold / offered * 100".into(),
                div_zero: DivZero::NoData,
            },
            unit: Unit::Percent,
            direction: Direction::HigherIsBetter,
            class: KpiClass::Quality,
        };
        let f = d.compile(&MeasureCatalog::standard()).unwrap();
        let t = MeasureTotals::from_pairs([
            ("answered_within_threshold", dec!(2)),
            ("offered", dec!(3)),
        ])
        .unwrap();
        assert_eq!(kpi_value(&f, &t), Ok(Some(dec!(66.67))));
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<KpiDefinition>(&json).unwrap(), d);
    }
}
