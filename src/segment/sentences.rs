//! Placeholder until the sentence splitter lands.
pub fn split_sentences(_text: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    vec![range]
}
