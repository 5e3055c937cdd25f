//! Print the time mentions of stdin: `echo "said Friday" | cargo run --example time_dump -- 2025-08-17`

use std::io::Read;

fn main() {
    let anchor = std::env::args()
        .nth(1)
        .and_then(|a| chrono::NaiveDate::parse_from_str(&a, "%Y-%m-%d").ok());
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("stdin is not UTF-8");
        std::process::exit(2);
    }
    let ex = crosscheck::extract::time::TimeExtractor::global();
    for m in ex.extract_all(&text, anchor) {
        println!(
            "{}-{} {:?} {} {} {} {} {:?} {}",
            m.start,
            m.end,
            m.text,
            m.timex_type.as_str(),
            m.value,
            m.granularity.as_str(),
            m.resolved.as_str(),
            m.implied,
            m.rule
        );
    }
}
