//! The progress display of `check` on a terminal: a spinner while articles
//! are read and analysed, then a bar while their stories are checked. Drawn on stderr only when
//! stderr is a terminal and `--quiet` is off; otherwise never created, so
//! piped and captured runs see nothing of it.

use crosscheck::progress::{Event, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Articles per second, without indicatif's four decimals.
fn rate(state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write) {
    let _ = write!(out, "{:.0}/s", state.per_sec());
}

pub struct Bars {
    read: ProgressBar,
    check: ProgressBar,
    analysed: Arc<AtomicUsize>,
}

impl Bars {
    /// The bars, or `None` when nothing must be drawn.
    pub fn new(quiet: bool) -> Option<Bars> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let read = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {human_pos} articles read ({rate}), {msg}")
        {
            read.set_style(style.with_key("rate", rate));
        }
        read.enable_steady_tick(Duration::from_millis(120));
        let check = ProgressBar::hidden();
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:24} {human_pos}/{human_len} stories checked ({rate}, ETA {eta})",
        ) {
            check.set_style(style.with_key("rate", rate));
        }
        Some(Bars {
            read,
            check,
            analysed: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The callback the library reports to.
    pub fn hook(&self) -> Progress {
        let read = self.read.clone();
        let check = self.check.clone();
        let analysed = Arc::clone(&self.analysed);
        Progress::new(move |event| match event {
            Event::Read => read.inc(1),
            Event::Analyzed => {
                let done = analysed.fetch_add(1, Ordering::Relaxed) + 1;
                read.set_message(format!("{done} analysed"));
            }
            Event::StoryChecked => check.inc(1),
        })
    }

    /// Clears the spinner, so that skip notes print on a clean line.
    pub fn done_reading(&self) {
        self.read.finish_and_clear();
    }

    /// Shows the bar for checking `stories` stories.
    pub fn start_checking(&self, stories: usize) {
        self.check.set_length(stories as u64);
        self.check.set_draw_target(ProgressDrawTarget::stderr());
        self.check.reset_eta();
    }

    /// Clears the bar before the report is written.
    pub fn finish(&self) {
        self.read.finish_and_clear();
        self.check.finish_and_clear();
    }
}
