//! The `jixiao` command's library half: settings and one module per subcommand. It is a library
//! so that the end-to-end tests and the benchmark drive exactly the code the binary runs.
//! `anyhow` is used here and nowhere else in the workspace.

pub mod cmd;
pub mod settings;
