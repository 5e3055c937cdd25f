//! The `crosscheck` binary: parses arguments, runs the library's stages and
//! maps the outcome to an exit code. Output goes to stdout, diagnostics to
//! stderr.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    crosscheck::use_small_pages();
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // `crosscheck ... | head` closes the pipe early: that is the
            // reader's choice, not an error.
            if is_broken_pipe(&err) {
                return ExitCode::from(crosscheck::exit::SUCCESS);
            }
            eprintln!("crosscheck: error: {err:#}");
            ExitCode::from(crosscheck::exit::ERROR)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
