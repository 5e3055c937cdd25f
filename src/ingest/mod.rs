//! Stage 1: read files, folders, archives and stdin into Documents.

pub mod html;
