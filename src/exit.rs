//! Exit codes, as linters use them.

/// Nothing at or above `--fail-on` was found, or the command succeeded.
pub const SUCCESS: u8 = 0;
/// Findings at or above `--fail-on`.
pub const FINDINGS: u8 = 1;
/// A usage error or an input error (missing path, no readable documents,
/// a bad rules or config file).
pub const ERROR: u8 = 2;
