//! End-to-end tests of the `jixiao` command: the demo center through month close to the
//! exported workbook, on both databases, and the real binary's subcommands.

mod binary;
mod calibration;
mod e2e;
