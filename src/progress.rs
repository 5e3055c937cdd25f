//! Progress events of a long run, for a display the caller chooses (the
//! CLI draws a bar on a terminal). The library only reports; it never draws.

use std::sync::Arc;

/// One step of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A document was read.
    Read,
    /// A document went through the per-document stages (or came from the
    /// cache).
    Analyzed,
    /// A story's rules ran.
    StoryChecked,
}

/// A callback for [`Event`]s; called from worker threads.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(Event) + Send + Sync>);

impl Progress {
    pub fn new(callback: impl Fn(Event) + Send + Sync + 'static) -> Self {
        Progress(Arc::new(callback))
    }

    pub fn emit(&self, event: Event) {
        (self.0)(event)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}
