//! Text helpers shared by the stages.
