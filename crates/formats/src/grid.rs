//! A table as a grid of cells with spans: the one layout the report's XLSX and PDF are both
//! written from, so the two cannot drift apart.

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub text: String,
    /// A heading cell (bold); otherwise a value.
    pub header: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// Relative column widths.
    pub widths: Vec<f64>,
    pub cells: Vec<Cell>,
}

impl Grid {
    pub fn new(widths: &[f64]) -> Self {
        Grid {
            widths: widths.to_vec(),
            cells: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.cells
            .iter()
            .map(|c| c.row + c.rowspan)
            .max()
            .unwrap_or(0)
    }

    pub fn head(&mut self, row: usize, col: usize, rowspan: usize, colspan: usize, text: &str) {
        self.cells.push(Cell {
            row,
            col,
            rowspan,
            colspan,
            text: text.to_string(),
            header: true,
        });
    }

    pub fn value(&mut self, row: usize, col: usize, colspan: usize, text: &str) {
        self.cells.push(Cell {
            row,
            col,
            rowspan: 1,
            colspan,
            text: text.to_string(),
            header: false,
        });
    }
}
