//! A very small PDF writer, enough for the sandbox's fiscal receipts: one A4 page of text lines
//! in the standard Helvetica font (PDF 1.4, ISO 32000-1 §7 file structure, §9.6.2.2 standard
//! Type 1 fonts, Annex D.2 WinAnsiEncoding). Written by hand rather than pulling a PDF crate
//! into every build for a page of text.

use std::fmt::Write as _;

/// A4 in points.
const PAGE_WIDTH: u32 = 595;
const PAGE_HEIGHT: u32 = 842;
const MARGIN: u32 = 56;

/// One line of text on the page.
pub struct Line {
    pub text: String,
    /// In points.
    pub size: u32,
    pub bold: bool,
    /// Set: printed flush right at the right margin (amounts), the text being short.
    pub right: Option<String>,
}

impl Line {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            size: 10,
            bold: false,
            right: None,
        }
    }

    pub fn title(text: impl Into<String>) -> Self {
        Self {
            size: 16,
            bold: true,
            ..Self::new(text)
        }
    }

    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// `text` on the left and `amount` on the right of the same line.
    pub fn with_amount(mut self, amount: impl Into<String>) -> Self {
        self.right = Some(amount.into());
        self
    }
}

/// The PDF file of one page holding `lines`, top to bottom; lines that do not fit are dropped
/// (a receipt of the sandbox is far shorter than a page).
pub fn document(title: &str, lines: &[Line]) -> Vec<u8> {
    let content = page_content(lines);
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ),
        font("Helvetica"),
        font("Helvetica-Bold"),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            win_ansi(&content).len()
        ),
        format!(
            "<< /Title {} /Producer (Voucherly sandbox) >>",
            string(title)
        ),
    ];
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(&win_ansi(object));
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        // Each entry is exactly 20 bytes, the end of line included (§7.5.4).
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        objects.len()
    );
    out.extend_from_slice(table.as_bytes());
    out
}

fn font(name: &str) -> String {
    format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
}

/// The page's drawing operators: each line at its own baseline, from the top margin down.
fn page_content(lines: &[Line]) -> String {
    let mut content = String::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for line in lines {
        let step = line.size + line.size / 2;
        if y < MARGIN + step {
            break;
        }
        y -= step;
        let font = if line.bold { "F2" } else { "F1" };
        let size = line.size;
        let _ = writeln!(
            content,
            "BT /{font} {size} Tf {MARGIN} {y} Td {} Tj ET",
            string(&line.text)
        );
        if let Some(right) = &line.right {
            let x = PAGE_WIDTH - MARGIN - text_width(right, size);
            let _ = writeln!(
                content,
                "BT /{font} {size} Tf {x} {y} Td {} Tj ET",
                string(right)
            );
        }
    }
    content
}

/// About how wide `text` prints in Helvetica: digits and most of an amount's characters are
/// 0.556 em wide (the font's metrics), spaces and punctuation narrower.
fn text_width(text: &str, size: u32) -> u32 {
    let thousandths: u32 = text
        .chars()
        .map(|c| match c {
            ' ' | ',' | '.' => 278,
            _ => 556,
        })
        .sum();
    thousandths * size / 1000
}

/// A PDF literal string: parentheses and backslashes escaped, line breaks dropped.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push(')');
    out
}

/// `text` in WinAnsiEncoding: Latin-1 letters as themselves, the euro sign as 0x80, anything
/// the encoding lacks as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '’' => 0x92,
            '–' => 0x96,
            '—' => 0x97,
            '•' => 0x95,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let pdf = document(
            "t",
            &[Line::title("Negozio"), Line::new("1 × Pane (€ 3,00)")],
        );
        let text = String::from_utf8_lossy(&pdf);
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|tail| tail.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let table = String::from_utf8_lossy(&pdf[xref_at..]);
        assert!(table.starts_with("xref\n"));
        let entries = table.lines().skip(3).take(7);
        for (number, entry) in (1..).zip(entries) {
            let offset: usize = entry[..10].parse().unwrap_or(0);
            assert!(
                pdf[offset..].starts_with(format!("{number} 0 obj").as_bytes()),
                "{entry}"
            );
        }
    }

    #[test]
    fn text_is_escaped_and_encoded_for_the_standard_fonts() {
        assert_eq!(string("a (b) \\ c"), r"(a \(b\) \\ c)");
        assert_eq!(win_ansi("€ è ×ж"), vec![0x80, b' ', 0xE8, b' ', 0xD7, b'?']);
    }
}
