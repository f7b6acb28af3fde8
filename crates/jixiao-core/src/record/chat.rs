//! E-commerce chat sessions: one row per session an agent served.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::org::AgentRef;

/// A chat session (an e-commerce customer's inquiry, a service chat), keyed by
/// (source, record id), counted in the period of its start.
///
/// Response times are kept as sums over the session's reply rounds, so that an average
/// response time over any set of sessions is Σ `total_response_secs` ÷ Σ `agent_replies`
/// (a ratio of sums, never an average of per-session averages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRecord {
    /// The source system, for example `qianniu`.
    pub source: String,
    /// The source system's session id.
    pub record_id: String,
    /// When the customer's first message arrived, in the center's local time.
    pub started_at: NaiveDateTime,
    /// The agent who served the session.
    pub employee_no: AgentRef,
    /// The customer (buyer id), which links the session to the customer's orders.
    pub customer_id: String,
    /// The shop or store front, if the source serves several.
    pub shop: Option<String>,
    /// Messages the customer sent.
    pub customer_messages: u32,
    /// Reply rounds: agent replies that answered waiting customer messages.
    pub agent_replies: u32,
    /// Seconds from the customer's first message to the agent's first reply, if replied.
    pub first_response_secs: Option<u32>,
    /// Σ seconds the customer waited over all reply rounds.
    pub total_response_secs: u32,
    /// Whether this is a pre-sale inquiry (询单), the denominator of 询单转化率.
    pub is_inquiry: bool,
}

impl ChatRecord {
    /// The local date the session counts on.
    pub fn date(&self) -> NaiveDate {
        self.started_at.date()
    }

    /// Checks the response figures agree: no reply means no response time, and the first
    /// round's wait is part of the total. The error names the field.
    pub fn check(&self) -> Result<(), CoreError> {
        if self.agent_replies == 0 {
            if let Some(first) = self.first_response_secs {
                return Err(CoreError::invalid(
                    "first_response_secs",
                    &first.to_string(),
                    "must be empty when agent_replies is 0",
                ));
            }
            if self.total_response_secs != 0 {
                return Err(CoreError::invalid(
                    "total_response_secs",
                    &self.total_response_secs.to_string(),
                    "must be 0 when agent_replies is 0",
                ));
            }
        }
        if let Some(first) = self.first_response_secs
            && first > self.total_response_secs
        {
            return Err(CoreError::invalid(
                "first_response_secs",
                &first.to_string(),
                "is more than total_response_secs, which includes it",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chat() -> ChatRecord {
        ChatRecord {
            source: "shop".into(),
            record_id: "S1".into(),
            started_at: NaiveDate::from_ymd_opt(2026, 11, 11)
                .unwrap()
                .and_hms_opt(0, 5, 0)
                .unwrap(),
            employee_no: AgentRef::parse("kf01").unwrap(),
            customer_id: "buyer-9".into(),
            shop: None,
            customer_messages: 6,
            agent_replies: 4,
            first_response_secs: Some(12),
            total_response_secs: 80,
            is_inquiry: true,
        }
    }

    #[test]
    fn consistent_response_figures_pass() {
        assert!(chat().check().is_ok());
        let silent = ChatRecord {
            agent_replies: 0,
            first_response_secs: None,
            total_response_secs: 0,
            ..chat()
        };
        assert!(silent.check().is_ok());
    }

    #[test]
    fn a_first_response_longer_than_the_total_or_without_replies_is_rejected() {
        let too_long = ChatRecord {
            first_response_secs: Some(81),
            ..chat()
        };
        assert!(too_long.check().is_err());
        let no_replies = ChatRecord {
            agent_replies: 0,
            ..chat()
        };
        assert!(no_replies.check().is_err());
    }
}
