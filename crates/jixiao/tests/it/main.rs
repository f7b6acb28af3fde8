//! End-to-end tests of the `jixiao` command: the demo center through month close to the
//! exported workbook, on both databases, the real binary's subcommands, and the independent
//! Python recomputation of a closed month, and the kill test (an import killed at random
//! moments leaves all of it or none of it).

mod alias;
mod binary;
mod calibration;
mod e2e;
mod kill;
mod lifecycle;
mod presets;
mod recompute;
mod strict;
mod token;
