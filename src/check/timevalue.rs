//! TIMEX3-style values as the rules compare them: a day, a week, a month,
//! a year, or a weekday with no anchor. Two values agree when one lies
//! inside the other; a month never conflicts with a day inside it.

use chrono::{Datelike, NaiveDate, Weekday};

/// A parsed time value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeValue {
    Day(NaiveDate),
    /// ISO year and week.
    Week(i32, u32),
    /// The Saturday and Sunday of an ISO week ("last weekend").
    Weekend(i32, u32),
    Month(i32, u32),
    Year(i32),
    /// "XXXX-WXX-4": a Thursday, no date.
    Weekday(Weekday),
}

impl TimeValue {
    /// Parses the values the time extractor writes; anything else
    /// (durations, PRESENT_REF, seasons) is not compared.
    pub fn parse(value: &str) -> Option<TimeValue> {
        if let Some(day) = value.strip_prefix("XXXX-WXX-") {
            let n: u32 = day.parse().ok()?;
            return weekday_from_iso(n).map(TimeValue::Weekday);
        }
        if value.len() >= 10 {
            if let Ok(date) = NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d") {
                return Some(TimeValue::Day(date));
            }
        }
        let parts: Vec<&str> = value.split('-').collect();
        match parts.as_slice() {
            [y, w, "WE"] if w.starts_with('W') && w.len() == 3 => {
                Some(TimeValue::Weekend(y.parse().ok()?, w[1..].parse().ok()?))
            }
            [y, w] if w.starts_with('W') && w.len() == 3 => {
                Some(TimeValue::Week(y.parse().ok()?, w[1..].parse().ok()?))
            }
            [y, m] if m.len() == 2 && y.len() == 4 => {
                let month: u32 = m.parse().ok()?;
                (1..=12)
                    .contains(&month)
                    .then_some(TimeValue::Month(y.parse().ok()?, month))
            }
            [y] if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
                Some(TimeValue::Year(y.parse().ok()?))
            }
            _ => None,
        }
    }

    /// Higher is finer: a day says more than a weekday alone.
    pub fn specificity(&self) -> u8 {
        match self {
            TimeValue::Day(_) => 5,
            TimeValue::Week(..) => 4,
            TimeValue::Weekend(..) => 4,
            TimeValue::Month(..) => 3,
            TimeValue::Weekday(_) => 2,
            TimeValue::Year(_) => 1,
        }
    }

    /// The weekday this value fixes, if it fixes one.
    pub fn weekday(&self) -> Option<Weekday> {
        match self {
            TimeValue::Day(d) => Some(d.weekday()),
            TimeValue::Weekday(w) => Some(*w),
            _ => None,
        }
    }

    /// Whether the two values can describe the same moment.
    pub fn agrees(&self, other: &TimeValue) -> bool {
        use TimeValue::*;
        let weekend_days = |y: i32, w: u32| {
            [chrono::Weekday::Sat, chrono::Weekday::Sun]
                .into_iter()
                .filter_map(move |d| NaiveDate::from_isoywd_opt(y, w, d))
        };
        match (*self, *other) {
            (Weekend(y, w), Weekend(y2, w2)) => y == y2 && w == w2,
            (Weekend(y, w), Day(d)) | (Day(d), Weekend(y, w)) => weekend_days(y, w).any(|x| x == d),
            (Weekend(_, _), Weekday(wd)) | (Weekday(wd), Weekend(_, _)) => {
                matches!(wd, chrono::Weekday::Sat | chrono::Weekday::Sun)
            }
            (Weekend(y, w), other) | (other, Weekend(y, w)) => {
                weekend_days(y, w).any(|d| Day(d).agrees(&other))
            }
            (Day(a), Day(b)) => a == b,
            (Day(d), Week(y, w)) | (Week(y, w), Day(d)) => {
                d.iso_week().year() == y && d.iso_week().week() == w
            }
            (Day(d), Month(y, m)) | (Month(y, m), Day(d)) => d.year() == y && d.month() == m,
            (Day(d), Year(y)) | (Year(y), Day(d)) => d.year() == y,
            (Day(d), Weekday(w)) | (Weekday(w), Day(d)) => d.weekday() == w,
            (Weekday(a), Weekday(b)) => a == b,
            // A weekday alone says nothing about weeks, months or years.
            (Weekday(_), _) | (_, Weekday(_)) => true,
            (Week(y1, w1), Week(y2, w2)) => y1 == y2 && w1 == w2,
            (Month(y1, m1), Month(y2, m2)) => y1 == y2 && m1 == m2,
            (Year(a), Year(b)) => a == b,
            (Month(y1, _), Year(y2)) | (Year(y2), Month(y1, _)) => y1 == y2,
            (Week(y1, _), Year(y2)) | (Year(y2), Week(y1, _)) => y1 == y2,
            (Week(y, w), Month(ym, m)) | (Month(ym, m), Week(y, w)) => {
                // Agree when any day of the week falls in the month.
                (1..=7).any(|d| {
                    weekday_from_iso(d)
                        .and_then(|wd| NaiveDate::from_isoywd_opt(y, w, wd))
                        .is_some_and(|date| date.year() == ym && date.month() == m)
                })
            }
        }
    }

    /// A representative day, for distances: the first day of the period.
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            TimeValue::Day(d) => Some(d),
            TimeValue::Week(y, w) => NaiveDate::from_isoywd_opt(y, w, Weekday::Mon),
            TimeValue::Weekend(y, w) => NaiveDate::from_isoywd_opt(y, w, Weekday::Sat),
            TimeValue::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            TimeValue::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            TimeValue::Weekday(_) => None,
        }
    }

    /// The value in words: "Thursday 2025-08-28", "a Thursday", "2025-08".
    pub fn describe(&self) -> String {
        match *self {
            TimeValue::Day(d) => format!("{} ({})", d, weekday_name(d.weekday())),
            TimeValue::Weekday(w) => format!("a {}", weekday_name(w)),
            TimeValue::Week(y, w) => format!("week {w} of {y}"),
            TimeValue::Weekend(y, w) => format!("the weekend of week {w} of {y}"),
            TimeValue::Month(y, m) => format!("{y}-{m:02}"),
            TimeValue::Year(y) => y.to_string(),
        }
    }
}

fn weekday_from_iso(n: u32) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// "Thursday".
pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// "Thursday" / "thu" -> Thu.
pub fn parse_weekday(name: &str) -> Option<Weekday> {
    name.parse::<Weekday>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> TimeValue {
        TimeValue::parse(s).unwrap_or_else(|| panic!("{s} does not parse"))
    }

    #[test]
    fn parse_reads_each_granularity() {
        assert_eq!(
            v("2025-08-21"),
            TimeValue::Day(NaiveDate::from_ymd_opt(2025, 8, 21).unwrap())
        );
        assert_eq!(v("2025-W34"), TimeValue::Week(2025, 34));
        assert_eq!(v("2025-08"), TimeValue::Month(2025, 8));
        assert_eq!(v("2025"), TimeValue::Year(2025));
        assert_eq!(v("XXXX-WXX-4"), TimeValue::Weekday(Weekday::Thu));
        assert_eq!(TimeValue::parse("PRESENT_REF"), None);
        assert_eq!(TimeValue::parse("P2W"), None);
        assert_eq!(TimeValue::parse("2025-13"), None);
    }

    #[test]
    fn agrees_compares_at_the_coarser_granularity() {
        assert!(v("2025-08-21").agrees(&v("2025-08")));
        assert!(v("2025-08-21").agrees(&v("XXXX-WXX-4")));
        assert!(!v("2023-07-15").agrees(&v("XXXX-WXX-4")));
        assert!(!v("2023-07-15").agrees(&v("2025-08-21")));
        assert!(v("2025-W34").agrees(&v("2025-08-21")));
        assert!(!v("2025-W34").agrees(&v("2025-09")));
        assert!(v("XXXX-WXX-4").agrees(&v("2025-08")));
        assert!(!v("XXXX-WXX-4").agrees(&v("2025-W47-WE")));
        assert!(v("2025-11-22").agrees(&v("2025-W47-WE")));
        assert!(!v("2025-11-20").agrees(&v("2025-W47-WE")));
    }

    #[test]
    fn describe_names_the_weekday_of_a_day() {
        assert_eq!(v("2023-07-15").describe(), "2023-07-15 (Saturday)");
        assert_eq!(v("XXXX-WXX-4").describe(), "a Thursday");
    }
}
