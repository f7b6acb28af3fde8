//! A sparkline: a small line without axes, for a table cell next to the figure it trends.

use plotters::prelude::*;

use super::{ACCENT, render, y_top};

/// Cell size in SVG user units.
const CELL: (u32, u32) = (96, 24);

/// A line of `values`, oldest first, on a value axis from 0 to `y_max` (fitted to the data when
/// `None`); a missing value breaks the line.
pub fn sparkline(values: &[Option<f64>], y_max: Option<f64>) -> String {
    let top = y_max.unwrap_or_else(|| y_top(values.iter().flatten().copied()));
    let last = i32::try_from(values.len().saturating_sub(1)).unwrap_or(i32::MAX);
    render(|svg| {
        let root = SVGBackend::with_string(svg, CELL).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(3)
            .build_cartesian_2d((0..last).into_segmented(), 0.0..top)?;
        let at = |i: usize, v: f64| (SegmentValue::CenterOf(i32::try_from(i).unwrap_or(0)), v);
        let mut run = Vec::new();
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push(at(i, *v)),
                None => {
                    chart.draw_series(LineSeries::new(run.drain(..), ACCENT.stroke_width(2)))?;
                }
            }
        }
        chart.draw_series(LineSeries::new(run, ACCENT.stroke_width(2)))?;
        if let Some((i, Some(v))) = values.iter().enumerate().next_back() {
            chart.draw_series(std::iter::once(Circle::new(at(i, *v), 2, ACCENT.filled())))?;
        }
        root.present()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::assert_csp_safe;

    #[test]
    fn a_sparkline_is_a_small_line_without_text() {
        let svg = sparkline(&[Some(70.0), None, Some(80.0), Some(90.0)], Some(100.0));
        assert_csp_safe(&svg);
        assert!(svg.contains("<polyline"), "{svg}");
        assert!(svg.contains("<circle"), "the latest value is marked");
        assert!(!svg.contains("<text"));
    }

    #[test]
    fn a_sparkline_of_one_or_no_value_still_renders() {
        assert_csp_safe(&sparkline(&[Some(5.0)], None));
        assert_csp_safe(&sparkline(&[], None));
    }
}
