//! Score the time extractor on TimeML gold until the CLI wires
//! `crosscheck eval timeml`:
//!
//! `cargo run --release --example eval_timeml -- ../../shared/eval/tempeval3/TBAQ-cleaned [--errors]`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() {
        eprintln!("usage: eval_timeml PATH... [--errors]");
        return ExitCode::from(2);
    }
    match crosscheck::eval::timeml::evaluate(&paths, errors) {
        Ok(report) => {
            if errors {
                print!("{}", report.render_errors());
            }
            print!("{}", report.render_table());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
