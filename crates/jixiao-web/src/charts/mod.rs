//! Server-side SVG charts drawn by `plotters` (SVG backend only): pure functions from figures
//! and already-translated labels to an SVG string that templates embed inline.
//!
//! The SVG carries presentation attributes only — no `<style>`, no `<script>`, no `style=""` —
//! so it renders under the pages' CSP (`default-src 'none'; style-src 'self'`). Text is emitted
//! as `<text>` with a generic font family, so the browser draws Chinese labels with the page's
//! fonts; no font files are read on the server.

mod bars;
mod line;
mod spark;

pub use bars::bars;
pub use line::line;
pub use spark::sparkline;

use plotters::style::RGBColor;

/// Chart size in SVG user units; the stylesheet scales it to the container.
const SIZE: (u32, u32) = (640, 260);
/// The font of every label.
const FONT: &str = "sans-serif";
/// The series colour (the stylesheet's accent).
const ACCENT: RGBColor = RGBColor(0x25, 0x63, 0xeb);
/// Axis and label colour.
const INK: RGBColor = RGBColor(0x33, 0x41, 0x55);

/// Runs a drawing into a string; a drawing error (none is expected when writing to memory)
/// gives no chart rather than a failed page.
fn render(draw: impl FnOnce(&mut String) -> Result<(), Box<dyn std::error::Error + '_>>) -> String {
    let mut svg = String::new();
    let ok = match draw(&mut svg) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "chart not drawn");
            false
        }
    };
    if ok { svg } else { String::new() }
}

/// The upper end of a value axis: a little headroom above the largest value, never empty.
fn y_top(values: impl IntoIterator<Item = f64>) -> f64 {
    let max = values.into_iter().fold(0.0_f64, f64::max);
    if max > 0.0 { max * 1.15 } else { 1.0 }
}

/// A value-axis label: whole numbers without decimals, others with one.
fn tick(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
pub(crate) fn assert_csp_safe(svg: &str) {
    assert!(svg.starts_with("<svg"), "{svg}");
    for banned in ["<style", "<script", "style=\"", "href="] {
        assert!(!svg.contains(banned), "{banned} in {svg}");
    }
}
