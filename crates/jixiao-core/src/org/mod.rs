//! The organisation: center → department → team → employee, memberships with effective
//! dates, and the roles user accounts play.

mod ids;
mod membership;

pub use ids::{AgentRef, EmployeeNo, TypeCode};
pub use membership::{Membership, segment_days};

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// What a user account may do; scope is enforced by the web layer's extractors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and settings.
    Admin,
    /// The whole center's performance data and configuration.
    Manager,
    /// Only the teams they lead.
    Supervisor,
    /// QA reviews across the center, no pay.
    Qa,
    /// Only themselves.
    Agent,
}

impl Role {
    /// All roles, most privileged first.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Supervisor,
        Role::Qa,
        Role::Agent,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Supervisor => "supervisor",
            Role::Qa => "qa",
            Role::Agent => "agent",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                CoreError::invalid(
                    "role",
                    s,
                    "expected admin, manager, supervisor, qa or agent",
                )
            })
    }

    /// Whether this role sees pay (QA inspectors judge quality, not pay).
    pub fn sees_pay(self) -> bool {
        !matches!(self, Role::Qa)
    }

    /// Whether this role sees every team in the center.
    pub fn sees_whole_center(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::Qa)
    }
}

/// A department (话务部, 营销部 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Database id.
    pub id: i64,
    /// Short stable code, for example `CALL`.
    pub code: String,
    /// Display name.
    pub name: String,
}

/// A team inside a department, led by a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Database id.
    pub id: i64,
    /// The department it belongs to.
    pub department_id: i64,
    /// Short stable code, for example `CALL-03`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The employee who leads the team, if any.
    pub supervisor_id: Option<i64>,
}

/// A person on the payroll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    /// Database id.
    pub id: i64,
    /// The employee number used in every source file.
    pub employee_no: EmployeeNo,
    /// Display name.
    pub name: String,
    /// Position, for example `agent` or `supervisor`.
    pub position: String,
    /// Hire date.
    pub hire_date: chrono::NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_spelling() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("root").is_err());
    }
}
