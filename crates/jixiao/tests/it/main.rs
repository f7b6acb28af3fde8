//! End-to-end tests of the `jixiao` command: the demo center through month close to the
//! exported workbook, on both databases, the real binary's subcommands, and the independent
//! Python recomputation of a closed month.

mod binary;
mod calibration;
mod e2e;
mod recompute;
