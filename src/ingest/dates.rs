//! Publication dates: from metadata fields (any common machine or human
//! format) and from datelines in the first lines of a text.
//!
//! This is deliberately narrow: a dateline is an absolute, fully stated date.
//! Time expressions in running text are the `extract::time` stage's job.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAYS: &str = r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)";

fn dateline_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let time = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+(?:(?-i:[A-Z][a-z]+)\s+){1,2}(?-i:Time)|\s+(?-i:[A-Z]{2,4}T?)\b)?)?";
        let pattern = format!(
            r"(?i)\b(?:(?P<wd>{WEEKDAYS})\.?,?\s+)?(?:(?P<m1>{MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTHS})\.?,?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))\b{time}"
        );
        Regex::new(&pattern).unwrap_or_else(|e| panic!("dateline regex: {e}"))
    })
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    let n = match prefix {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn weekday_of(name: &str) -> Option<Weekday> {
    let lower = name.to_ascii_lowercase();
    match lower.get(..3)? {
        "mon" => Some(Weekday::Mon),
        "tue" => Some(Weekday::Tue),
        "wed" => Some(Weekday::Wed),
        "thu" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

/// A fully stated date found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// Byte range of the date (with its weekday, time and zone) in the line.
    pub range: Range<usize>,
    pub date: NaiveDate,
    /// The weekday the text states disagrees with the date.
    pub weekday_mismatch: bool,
}

/// Finds the first fully stated date ("Aug 22, 2025", "Thursday, 27 November,
/// 2025", "2025-08-21", with an optional time and zone) in `line`.
pub fn find_date(line: &str) -> Option<FoundDate> {
    for caps in dateline_regex().captures_iter(line) {
        let Some(whole) = caps.get(0) else { continue };
        let (year, month, day) = if let (Some(m), Some(d), Some(y)) =
            (caps.name("m1"), caps.name("d1"), caps.name("y1"))
        {
            (y.as_str(), month_number(m.as_str()), d.as_str())
        } else if let (Some(m), Some(d), Some(y)) =
            (caps.name("m2"), caps.name("d2"), caps.name("y2"))
        {
            (y.as_str(), month_number(m.as_str()), d.as_str())
        } else if let (Some(m), Some(d), Some(y)) =
            (caps.name("m3"), caps.name("d3"), caps.name("y3"))
        {
            (y.as_str(), m.as_str().parse().ok(), d.as_str())
        } else {
            continue;
        };
        let (Ok(year), Some(month), Ok(day)) = (year.parse::<i32>(), month, day.parse::<u32>())
        else {
            continue;
        };
        let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
            continue;
        };
        let stated = caps.name("wd").and_then(|w| weekday_of(w.as_str()));
        return Some(FoundDate {
            range: whole.range(),
            date,
            weekday_mismatch: stated.is_some_and(|w| w != date.weekday()),
        });
    }
    None
}

use chrono::Datelike;

/// Parses a metadata date field: ISO 8601 / RFC 3339 (the date as written,
/// not shifted to UTC: a 23:24 EDT story is dated that day), RFC 2822,
/// "Month D, YYYY" and the other forms `dateparser` knows.
pub fn parse_metadata_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(prefix) = value.get(..10) {
        if let Ok(date) = NaiveDate::parse_from_str(prefix, "%Y-%m-%d") {
            let rest = &value[10..];
            if rest.is_empty() || rest.starts_with(['T', 't', ' ']) {
                return Some(date);
            }
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(value) {
        return Some(dt.date_naive());
    }
    if let Some(found) = find_date(value) {
        if found.range.start == 0 || value[..found.range.start].trim().is_empty() {
            return Some(found.date);
        }
    }
    // dateparser knows many more layouts; a fixed midnight keeps it from
    // stamping date-only values with the current clock.
    let parsed = std::panic::catch_unwind(|| dateparser::parse_with(value, &Utc, NaiveTime::MIN));
    match parsed {
        Ok(Ok(dt)) => {
            let date = dt.date_naive();
            // dateparser reads "19.08.25" as the year 19; no news is that old.
            (date.year() >= 1800).then_some(date)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn find_date_reads_month_first_dateline() {
        let line = "Aug 22, 2025  |  ";
        let found = find_date(line).unwrap();
        assert_eq!(found.date, d(2025, 8, 22));
        assert_eq!(&line[found.range], "Aug 22, 2025");
    }

    #[test]
    fn find_date_reads_day_first_with_weekday() {
        let line = "Thursday, 27 November, 2025";
        let found = find_date(line).unwrap();
        assert_eq!(found.date, d(2025, 11, 27));
        assert_eq!(&line[found.range], line);
        assert!(!found.weekday_mismatch);
    }

    #[test]
    fn find_date_keeps_time_and_zone_words() {
        let line = "dtnext.in -- Sunday, August 17, 2025, 11:24:28 PM Eastern Daylight Time";
        let found = find_date(line).unwrap();
        assert_eq!(found.date, d(2025, 8, 17));
        assert_eq!(
            &line[found.range],
            "Sunday, August 17, 2025, 11:24:28 PM Eastern Daylight Time"
        );
    }

    #[test]
    fn find_date_flags_wrong_weekday() {
        let found = find_date("Thursday, July 15, 2023").unwrap();
        assert!(found.weekday_mismatch);
    }

    #[test]
    fn find_date_rejects_impossible_dates_and_two_digit_years() {
        assert_eq!(find_date("February 30, 2025"), None);
        assert_eq!(find_date("guarantees19.08.25, 21:21 • 3410 views"), None);
        assert_eq!(find_date("Mayor 12, 2025"), None);
    }

    #[test]
    fn parse_metadata_date_keeps_local_date_of_offset_timestamps() {
        assert_eq!(
            parse_metadata_date("2025-08-17T23:24:28-04:00"),
            Some(d(2025, 8, 17))
        );
        assert_eq!(parse_metadata_date("2025-08-22"), Some(d(2025, 8, 22)));
    }

    #[test]
    fn parse_metadata_date_reads_human_and_rfc2822_forms() {
        assert_eq!(
            parse_metadata_date("Thu, 21 Aug 2025 10:00:00 +0000"),
            Some(d(2025, 8, 21))
        );
        assert_eq!(parse_metadata_date("August 21, 2025"), Some(d(2025, 8, 21)));
        assert_eq!(parse_metadata_date("2025/08/21"), Some(d(2025, 8, 21)));
    }

    #[test]
    fn parse_metadata_date_rejects_non_dates() {
        assert_eq!(parse_metadata_date("yesterday-ish"), None);
        assert_eq!(parse_metadata_date(""), None);
        assert_eq!(parse_metadata_date("19.08.25"), None);
        assert_eq!(parse_metadata_date("2025-13-45"), None);
    }
}
