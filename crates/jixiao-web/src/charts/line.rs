//! A line chart over labelled periods: one value per label, gaps where there is none.

use plotters::prelude::*;

use super::{ACCENT, FONT, INK, SIZE, render, tick, y_top};

/// A line of `values` over the x `labels` (same length), titled `caption`, the value axis
/// described by `y_desc`. `y_max` fixes the top of the value axis (e.g. 100 for scores);
/// `None` fits it to the data. A missing value breaks the line.
pub fn line(
    caption: &str,
    y_desc: &str,
    labels: &[String],
    values: &[Option<f64>],
    y_max: Option<f64>,
) -> String {
    let n = labels.len().min(values.len());
    let top = y_max.unwrap_or_else(|| y_top(values.iter().flatten().copied()));
    let idx = |i: usize| i32::try_from(i).unwrap_or(i32::MAX);
    render(|svg| {
        let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FONT, 20).into_font().color(&INK))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(56)
            .build_cartesian_2d((0..idx(n.saturating_sub(1))).into_segmented(), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .y_label_formatter(&tick)
            .x_labels(n.max(1))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| labels.get(i))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(y_desc)
            .label_style((FONT, 14).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .draw()?;
        let at = |i: usize, v: f64| (SegmentValue::CenterOf(idx(i)), v);
        // One line per run of consecutive values, so a period without data shows as a gap.
        let mut run = Vec::new();
        for (i, v) in values.iter().take(n).enumerate() {
            match v {
                Some(v) => run.push(at(i, *v)),
                None => {
                    chart.draw_series(LineSeries::new(run.drain(..), ACCENT.stroke_width(2)))?;
                }
            }
        }
        chart.draw_series(LineSeries::new(run, ACCENT.stroke_width(2)))?;
        chart.draw_series(
            values
                .iter()
                .take(n)
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| Circle::new(at(i, v), 3, ACCENT.filled()))),
        )?;
        root.present()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::assert_csp_safe;

    fn labels() -> Vec<String> {
        ["2026-09", "2026-10", "2026-11"].map(String::from).to_vec()
    }

    #[test]
    fn a_trend_shows_its_caption_axis_and_every_period_label() {
        let svg = line(
            "总分趋势",
            "总分",
            &labels(),
            &[Some(80.0), None, Some(92.5)],
            Some(100.0),
        );
        assert_csp_safe(&svg);
        for text in [
            "总分趋势",
            "总分",
            "2026-09",
            "2026-10",
            "2026-11",
            "sans-serif",
        ] {
            assert!(svg.contains(text), "{text} missing in {svg}");
        }
        assert!(svg.contains("<circle"), "points are marked");
        assert!(svg.contains("<polyline"), "the series is a line");
    }

    #[test]
    fn a_trend_without_any_value_still_draws_its_axes() {
        let svg = line("Points", "Points", &labels(), &[None, None, None], None);
        assert_csp_safe(&svg);
        assert!(svg.contains("2026-11"));
        assert!(!svg.contains("<circle"));
    }

    #[test]
    fn labels_are_escaped() {
        let svg = line("R&D <team>", "x", &labels(), &[Some(1.0); 3], None);
        assert!(svg.contains("R&amp;D &lt;team&gt;"), "{svg}");
    }
}
