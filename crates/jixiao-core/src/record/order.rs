//! E-commerce orders, and the rule that credits an order to the agent whose chat led to it.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ChatRecord;
use crate::CoreError;
use crate::org::AgentRef;

/// Decimal places an amount may have (fen): amounts are stored ×10².
pub const AMOUNT_DP: u32 = 2;

/// An order, keyed by (source, record id), counted in the period it was placed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    /// The source system, for example `shop`.
    pub source: String,
    /// The source system's order number.
    pub record_id: String,
    /// When the order was placed, in the center's local time; picks the period.
    pub placed_at: NaiveDateTime,
    /// When it was paid, if it was.
    pub paid_at: Option<NaiveDateTime>,
    /// The order amount (yuan, at most 2 decimal places).
    pub amount: Decimal,
    /// The amount refunded so far (0 if none).
    pub refunded_amount: Decimal,
    /// The buyer, which links the order to the buyer's chat sessions.
    pub customer_id: String,
    /// The agent the order is credited to; `None` if nobody (yet).
    pub employee_no: Option<AgentRef>,
    /// The chat session that led to the order, as that session's record id (same source).
    pub session_record_id: Option<String>,
}

impl OrderRecord {
    /// The local date the order counts on: the day it was placed.
    pub fn date(&self) -> NaiveDate {
        self.placed_at.date()
    }

    /// Whether the order was paid.
    pub fn is_paid(&self) -> bool {
        self.paid_at.is_some()
    }

    /// Checks amounts (≥ 0, fen precision, refund ≤ amount) and that payment follows placing.
    /// The error names the field.
    pub fn check(&self) -> Result<(), CoreError> {
        check_amount("amount", self.amount)?;
        check_amount("refunded_amount", self.refunded_amount)?;
        if self.refunded_amount > self.amount {
            return Err(CoreError::invalid(
                "refunded_amount",
                &self.refunded_amount.to_string(),
                "is more than the order amount",
            ));
        }
        if let Some(paid) = self.paid_at
            && paid < self.placed_at
        {
            return Err(CoreError::invalid(
                "paid_at",
                &paid.to_string(),
                "is before placed_at",
            ));
        }
        Ok(())
    }

    /// Credits the order to `session`'s agent and links the session.
    pub fn credit_to(&mut self, session: &ChatRecord) {
        self.employee_no = Some(session.employee_no.clone());
        self.session_record_id = Some(session.record_id.clone());
    }
}

/// Checks a money amount: not negative, at most [`AMOUNT_DP`] decimal places.
pub fn check_amount(what: &'static str, v: Decimal) -> Result<Decimal, CoreError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(CoreError::invalid(
            what,
            &v.to_string(),
            "must not be negative",
        ));
    }
    if v.normalize().scale() > AMOUNT_DP {
        return Err(CoreError::invalid(
            what,
            &v.to_string(),
            format!("has more than {AMOUNT_DP} decimal places"),
        ));
    }
    Ok(v)
}

/// Jixiao's attribution rule: the agent of the customer's **last inquiry session** that started
/// within `window_days` days before the order was placed (up to and including `placed_at`).
///
/// Sessions of other customers and non-inquiry sessions are ignored; of two sessions that
/// started at the same moment the one with the greater (source, record id) wins, so the answer
/// does not depend on the order of `sessions`. `None` when no session qualifies.
pub fn attribute_order<'a>(
    order: &OrderRecord,
    sessions: &'a [ChatRecord],
    window_days: u32,
) -> Option<&'a ChatRecord> {
    let earliest = order
        .placed_at
        .checked_sub_days(Days::new(u64::from(window_days)))
        .unwrap_or(NaiveDateTime::MIN);
    sessions
        .iter()
        .filter(|s| s.is_inquiry && s.customer_id == order.customer_id)
        .filter(|s| earliest <= s.started_at && s.started_at <= order.placed_at)
        .max_by(|a, b| {
            (a.started_at, &a.source, &a.record_id).cmp(&(b.started_at, &b.source, &b.record_id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn order() -> OrderRecord {
        OrderRecord {
            source: "shop".into(),
            record_id: "O1".into(),
            placed_at: at(11, 10),
            paid_at: Some(at(11, 11)),
            amount: dec!(199.90),
            refunded_amount: dec!(0),
            customer_id: "buyer-9".into(),
            employee_no: None,
            session_record_id: None,
        }
    }

    fn session(id: &str, agent: &str, day: u32, hour: u32, inquiry: bool) -> ChatRecord {
        ChatRecord {
            source: "shop".into(),
            record_id: id.into(),
            started_at: at(day, hour),
            employee_no: AgentRef::parse(agent).unwrap(),
            customer_id: "buyer-9".into(),
            shop: None,
            customer_messages: 3,
            agent_replies: 2,
            first_response_secs: Some(5),
            total_response_secs: 30,
            is_inquiry: inquiry,
        }
    }

    #[test]
    fn amounts_must_be_whole_fen_not_negative_and_refunds_within_the_amount() {
        assert!(order().check().is_ok());
        assert!(check_amount("amount", dec!(1.005)).is_err());
        assert!(check_amount("amount", dec!(-1)).is_err());
        assert!(check_amount("amount", dec!(1.500)).is_ok());
        let over = OrderRecord {
            refunded_amount: dec!(200),
            ..order()
        };
        assert!(over.check().is_err());
        let paid_early = OrderRecord {
            paid_at: Some(at(10, 0)),
            ..order()
        };
        assert!(paid_early.check().is_err());
    }

    #[test]
    fn the_order_goes_to_the_last_inquiry_within_the_window() {
        let sessions = [
            session("S1", "kf01", 5, 9, true),
            session("S2", "kf02", 9, 9, true),
            session("S3", "kf03", 10, 9, false),
            session("S4", "kf04", 11, 12, true),
        ];
        let mut o = order();
        let winner = attribute_order(&o, &sessions, 3).unwrap();
        assert_eq!(winner.record_id, "S2", "S3 is no inquiry, S4 came after");
        o.credit_to(winner);
        assert_eq!(o.employee_no.as_ref().unwrap().as_str(), "kf02");
        assert_eq!(o.session_record_id.as_deref(), Some("S2"));
        assert!(
            attribute_order(&o, &sessions[..1], 3).is_none(),
            "S1 is too old"
        );
    }

    #[test]
    fn attribution_does_not_depend_on_the_order_of_sessions() {
        let a = session("S1", "kf01", 10, 9, true);
        let b = session("S2", "kf02", 10, 9, true);
        let (ab, ba) = ([a.clone(), b.clone()], [b, a]);
        let one = attribute_order(&order(), &ab, 7).unwrap();
        let two = attribute_order(&order(), &ba, 7).unwrap();
        assert_eq!(one.record_id, "S2");
        assert_eq!(one, two);
    }
}
