//! Evaluation with checked arithmetic: no operation can panic, an overflow is an error and a
//! division by zero follows the formula's policy. `None` is "no data" and propagates.

use rust_decimal::Decimal;

use super::check::round_places;
use super::parser::{Func, Kind, Node, Op};
use super::{DivZero, FormulaError};
use crate::kpi::totals::MeasureTotals;
use crate::money::round_half_up;

type Value = Result<Option<Decimal>, FormulaError>;

pub(super) fn eval(n: &Node, t: &MeasureTotals, policy: DivZero) -> Value {
    let overflow = || FormulaError::Overflow { column: n.col };
    match &n.kind {
        Kind::Num(d) => Ok(Some(*d)),
        Kind::Measure(name) => Ok(Some(t.get(name))),
        Kind::Neg(x) => Ok(eval(x, t, policy)?.map(|v| -v)),
        Kind::Bin(op, l, r) => {
            let (a, b) = (eval(l, t, policy)?, eval(r, t, policy)?);
            let (Some(a), Some(b)) = (a, b) else {
                return Ok(None);
            };
            match op {
                Op::Add => a.checked_add(b).map(Some).ok_or_else(overflow),
                Op::Sub => a.checked_sub(b).map(Some).ok_or_else(overflow),
                Op::Mul => a.checked_mul(b).map(Some).ok_or_else(overflow),
                Op::Div if b.is_zero() => match policy {
                    DivZero::NoData => Ok(None),
                    DivZero::Zero => Ok(Some(Decimal::ZERO)),
                    DivZero::Error => Err(FormulaError::DivisionByZero { column: n.col }),
                },
                Op::Div => a.checked_div(b).map(Some).ok_or_else(overflow),
            }
        }
        Kind::Call(func, args) => {
            let x = eval(&args[0], t, policy)?;
            match func {
                Func::Round => {
                    let dp = round_places(&args[1], n.col)?;
                    Ok(x.map(|v| round_half_up(v, dp)))
                }
                Func::IfZero => match x {
                    Some(v) if !v.is_zero() => Ok(Some(v)),
                    _ => eval(&args[1], t, policy),
                },
                Func::Min | Func::Max => {
                    let (Some(a), Some(b)) = (x, eval(&args[1], t, policy)?) else {
                        return Ok(None);
                    };
                    Ok(Some(if *func == Func::Min {
                        a.min(b)
                    } else {
                        a.max(b)
                    }))
                }
            }
        }
    }
}
