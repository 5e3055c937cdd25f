//! `drift`: quotes by one speaker that are near-identical but not equal.
//! Waits for quote claims; with none, it finds nothing.

use crate::check::spec::Rule;
use crate::check::Finding;
use crate::key::Group;

pub fn run(_rule: &Rule, _group: &Group) -> Vec<Finding> {
    Vec::new()
}
