//! Resolving a chunk of records: agents and codes checked, the last row of a key repeated
//! within the chunk kept, each kind grouped by period, records of unknown agents held.

use std::collections::{BTreeMap, HashMap, HashSet};

use jixiao_core::Period;
use jixiao_core::record::{RecordBatch, Reject};

use crate::aliases::AgentIndex;
use crate::kinds::{Item, Kind};

/// The records of one kind that survived resolution, grouped by period, and those held
/// because their agent is not known (see `aliases`).
pub(super) struct Resolved<'a, T> {
    pub by_period: BTreeMap<String, Vec<Item<'a, T>>>,
    pub held: BTreeMap<String, Vec<Item<'a, T>>>,
}

impl<'a, T: Kind> Resolved<'a, T> {
    /// Resolves agents and codes, keeps the last row of a repeated key, and turns every problem
    /// into a reject. An agent that is neither an employee number nor an alias of the record's
    /// source is not a problem of the row: the record is held until someone maps the name.
    pub fn new(
        records: &'a [(i64, T)],
        employees: &AgentIndex,
        types: &HashSet<String>,
        rejects: &mut Vec<Reject>,
    ) -> Self {
        let mut last: HashMap<(&str, &str), usize> = HashMap::with_capacity(records.len());
        for (i, (_, r)) in records.iter().enumerate() {
            last.insert(r.key(), i);
        }
        let mut by_period: BTreeMap<String, Vec<Item<'a, T>>> = BTreeMap::new();
        let mut held: BTreeMap<String, Vec<Item<'a, T>>> = BTreeMap::new();
        for (i, (row, r)) in records.iter().enumerate() {
            let reject = |column: &str, value: String, reason: String| Reject {
                row: *row,
                column: column.to_string(),
                value,
                reason,
            };
            let winner = last.get(&r.key()).copied().unwrap_or(i);
            if winner != i {
                let (source, id) = r.key();
                rejects.push(reject(
                    "record_id",
                    id.to_string(),
                    format!(
                        "record {source}/{id} appears again at row {}; the later row is used",
                        records[winner].0
                    ),
                ));
                continue;
            }
            // Checked before the agent, so that a held record can land as it is once mapped.
            let scaled = match r.check(types) {
                Ok(v) => v,
                Err((column, value, reason)) => {
                    rejects.push(reject(column, value, reason));
                    continue;
                }
            };
            let period = Period::containing(r.date()).to_string();
            let (employee_id, to) = match r.employee_no() {
                None => (None, &mut by_period),
                Some(agent) => match employees.resolve(r.key().0, agent.as_str()) {
                    Some(id) => (Some(id), &mut by_period),
                    None => (None, &mut held),
                },
            };
            to.entry(period.clone()).or_default().push(Item {
                row: *row,
                period,
                employee_id,
                scaled,
                rec: r,
            });
        }
        Resolved { by_period, held }
    }

    /// The periods of the records, landing or held.
    pub fn periods(&self) -> impl Iterator<Item = &String> {
        self.by_period.keys().chain(self.held.keys())
    }

    /// Takes out the records of closed periods, as rejects (held ones too: they could never
    /// count).
    pub fn reject_closed(&mut self, closed: &[String], rejects: &mut Vec<Reject>) {
        for p in closed {
            let held = self.held.remove(p).unwrap_or_default();
            for item in self
                .by_period
                .remove(p)
                .unwrap_or_default()
                .into_iter()
                .chain(held)
            {
                rejects.push(Reject {
                    row: item.row,
                    column: T::DATE_COLUMN.to_string(),
                    value: item.rec.date_value(),
                    reason: format!("period {p} is closed; send a correction as an adjustment"),
                });
            }
        }
    }

    pub fn len(&self) -> usize {
        self.by_period.values().map(Vec::len).sum()
    }
}

/// One chunk of a batch, every kind resolved.
pub(super) struct Chunk<'a> {
    pub calls: Resolved<'a, jixiao_core::record::CallRecord>,
    pub surveys: Resolved<'a, jixiao_core::record::SurveyRecord>,
    pub qa: Resolved<'a, jixiao_core::record::QaRecord>,
    pub tickets: Resolved<'a, jixiao_core::record::TicketRecord>,
    pub chats: Resolved<'a, jixiao_core::record::ChatRecord>,
    pub orders: Resolved<'a, jixiao_core::record::OrderRecord>,
    pub attendance: Resolved<'a, jixiao_core::record::AttendanceRecord>,
    pub work: Resolved<'a, jixiao_core::record::WorkRecord>,
}

impl<'a> Chunk<'a> {
    /// Resolves every kind of `batch`; problems go to `rejects`.
    pub fn new(
        batch: &'a RecordBatch,
        employees: &AgentIndex,
        types: &HashSet<String>,
        rejects: &mut Vec<Reject>,
    ) -> Self {
        Chunk {
            calls: Resolved::new(&batch.calls, employees, types, rejects),
            surveys: Resolved::new(&batch.surveys, employees, types, rejects),
            qa: Resolved::new(&batch.qa, employees, types, rejects),
            tickets: Resolved::new(&batch.tickets, employees, types, rejects),
            chats: Resolved::new(&batch.chats, employees, types, rejects),
            orders: Resolved::new(&batch.orders, employees, types, rejects),
            attendance: Resolved::new(&batch.attendance, employees, types, rejects),
            work: Resolved::new(&batch.work, employees, types, rejects),
        }
    }

    /// The periods of the chunk's records, landing or held, each once.
    pub fn periods(&self) -> std::collections::BTreeSet<String> {
        self.calls
            .periods()
            .chain(self.surveys.periods())
            .chain(self.qa.periods())
            .chain(self.tickets.periods())
            .chain(self.chats.periods())
            .chain(self.orders.periods())
            .chain(self.attendance.periods())
            .chain(self.work.periods())
            .cloned()
            .collect()
    }

    /// Takes out every kind's records of closed periods, as rejects.
    pub fn reject_closed(&mut self, closed: &[String], rejects: &mut Vec<Reject>) {
        self.calls.reject_closed(closed, rejects);
        self.surveys.reject_closed(closed, rejects);
        self.qa.reject_closed(closed, rejects);
        self.tickets.reject_closed(closed, rejects);
        self.chats.reject_closed(closed, rejects);
        self.orders.reject_closed(closed, rejects);
        self.attendance.reject_closed(closed, rejects);
        self.work.reject_closed(closed, rejects);
    }
}
