//! Text helpers shared by the stages.

/// The largest char boundary of `s` at or before `i` (`s.len()` past it).
pub(crate) fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
