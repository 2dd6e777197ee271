//! The file formats gongkai reads and writes, apart from HTTP: tables people fill in other
//! programs (CSV, XLSX) and the PDFs it prints (reply letters, reports, gazette issues). The
//! web crate serves them and the CLI imports and seeds with them; neither owns them.

pub mod grid;
pub mod pdf;
pub mod tabular;
