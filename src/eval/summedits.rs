//! SummEdits (news domain): is a summary consistent with its article?
//!
//! Each item is run through [`crate::diff::diff`] with the article as the
//! original and the summary as the copy. The prediction is
//! "inconsistent" when the diff reports any finding at warning level or
//! above: info findings (dropped facts, equivalent spellings and titles)
//! are what a faithful summary does.
//!
//! Measures: balanced accuracy over all items (the mean of the recall on
//! inconsistent and on consistent items), recall on the inconsistent items
//! whose edit changes a number, date, weekday or name (SummEdits labels
//! these `entity_modification`; the item counts only when a word the edit
//! brought in, against `original_summary`, has a digit, is a month or
//! weekday, or is capitalised), and the false-alarm rate on consistent
//! items.

use crate::check::spec::Severity;
use crate::diff::{diff, document};
use crate::Error;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    doc: String,
    summary: String,
    label: u8,
    #[serde(default)]
    original_summary: String,
    #[serde(default)]
    edit_types: Vec<String>,
}

/// One item the diff got wrong, for reading.
#[derive(Debug, Clone)]
pub struct Miss {
    pub id: String,
    /// Whether the item is inconsistent (label 0).
    pub inconsistent: bool,
    pub summary: String,
    /// SummEdits' edit types, and whether the edit changes a number, date,
    /// weekday or name (see [`is_fact_edit`]).
    pub edit_types: Vec<String>,
    pub fact_edit: bool,
    /// The findings at warning level or above (empty for a missed edit).
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SummeditsReport {
    pub items: usize,
    pub inconsistent: usize,
    pub inconsistent_flagged: usize,
    pub consistent: usize,
    pub consistent_flagged: usize,
    pub fact_edits: usize,
    pub fact_edits_flagged: usize,
    pub misses: Vec<Miss>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl SummeditsReport {
    pub fn recall_inconsistent(&self) -> f64 {
        ratio(self.inconsistent_flagged, self.inconsistent)
    }
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.consistent_flagged, self.consistent)
    }
    pub fn balanced_accuracy(&self) -> f64 {
        (self.recall_inconsistent() + 1.0 - self.false_alarm_rate()) / 2.0
    }
    pub fn fact_edit_recall(&self) -> f64 {
        ratio(self.fact_edits_flagged, self.fact_edits)
    }

    pub fn render(&self) -> String {
        format!(
            "SummEdits news: {} items ({} inconsistent, {} consistent)\n\
             balanced accuracy        {:.3}\n\
             recall, inconsistent     {:.3} ({}/{})\n\
             recall, fact edits       {:.3} ({}/{})  number, date, weekday or name changed\n\
             false alarms, consistent {:.3} ({}/{})\n\
             prediction: inconsistent = any diff finding at warning or above\n",
            self.items,
            self.inconsistent,
            self.consistent,
            self.balanced_accuracy(),
            self.recall_inconsistent(),
            self.inconsistent_flagged,
            self.inconsistent,
            self.fact_edit_recall(),
            self.fact_edits_flagged,
            self.fact_edits,
            self.false_alarm_rate(),
            self.consistent_flagged,
            self.consistent,
        )
    }

    pub fn render_misses(&self) -> String {
        let mut out = String::new();
        for m in &self.misses {
            let what = match (m.inconsistent, m.fact_edit) {
                (true, true) => "missed fact edit",
                (true, false) => "missed",
                (false, _) => "false alarm",
            };
            let types = if m.edit_types.is_empty() {
                String::new()
            } else {
                format!(" [{}]", m.edit_types.join(","))
            };
            out.push_str(&format!("{what} {}{types}: {}\n", m.id, m.summary));
            for f in &m.findings {
                out.push_str(&format!("    {f}\n"));
            }
        }
        out
    }
}

/// Whether the edit from `before` to `after` brought in a number, a date,
/// a weekday or a name.
fn is_fact_edit(before: &str, after: &str) -> bool {
    let clean = |w: &str| -> String {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches("'s")
            .to_string()
    };
    let old: HashSet<String> = before.split_whitespace().map(clean).collect();
    after
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| (i, clean(w)))
        .filter(|(_, w)| !w.is_empty() && !old.contains(w))
        .any(|(i, w)| {
            w.chars().any(|c| c.is_ascii_digit())
                || is_calendar(&w.to_lowercase())
                || (i > 0 && w.chars().next().is_some_and(char::is_uppercase))
        })
}

/// A month or weekday name; "may" is left out, as the verb is far
/// commoner than the month in a summary.
fn is_calendar(lower: &str) -> bool {
    lower != "may" && crate::extract::lexicon::is_month_or_weekday(lower)
}

/// Scores the diff on a SummEdits JSON file (an array of items).
pub fn evaluate(path: &Path) -> Result<SummeditsReport, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let items: Vec<Item> = serde_json::from_str(&text).map_err(|e| Error::Parse {
        path: path.display().to_string(),
        line: e.line(),
        message: e.to_string(),
    })?;
    use rayon::prelude::*;
    let results: Vec<(usize, Vec<String>)> = items
        .par_iter()
        .enumerate()
        .map(|(i, item)| {
            let article = document(&format!("{}#article", item.id), &item.doc);
            let summary = document(&format!("{}#summary", item.id), &item.summary);
            let report = diff(&article, &summary);
            let flagged: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .map(|f| format!("{} {}: {}", f.code, f.rule, f.message))
                .collect();
            (i, flagged)
        })
        .collect();
    let mut report = SummeditsReport {
        items: items.len(),
        ..SummeditsReport::default()
    };
    for (i, flagged) in results {
        let Some(item) = items.get(i) else {
            continue;
        };
        let predicted = !flagged.is_empty();
        let inconsistent = item.label == 0;
        let fact = inconsistent
            && item.edit_types.iter().any(|t| t == "entity_modification")
            && is_fact_edit(&item.original_summary, &item.summary);
        if inconsistent {
            report.inconsistent += 1;
            report.inconsistent_flagged += usize::from(predicted);
            if fact {
                report.fact_edits += 1;
                report.fact_edits_flagged += usize::from(predicted);
            }
        } else {
            report.consistent += 1;
            report.consistent_flagged += usize::from(predicted);
        }
        if predicted != inconsistent {
            report.misses.push(Miss {
                id: item.id.clone(),
                inconsistent,
                summary: item.summary.clone(),
                edit_types: item.edit_types.clone(),
                fact_edit: fact,
                findings: flagged,
            });
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_edits_bring_in_numbers_dates_or_names() {
        assert!(is_fact_edit("He left on Monday.", "He left on Friday."));
        assert!(is_fact_edit(
            "Four people were hurt.",
            "Five people were hurt, 12 said."
        ));
        assert!(is_fact_edit("Smith won.", "Smith beat Jones."));
        assert!(!is_fact_edit("Prices rose.", "Prices fell."));
    }
}
