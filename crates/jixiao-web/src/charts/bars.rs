//! A bar chart of labelled values (grade counts, departments' averages).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ACCENT, FONT, INK, SIZE, render, tick, y_top};

/// One bar per `(label, value)`, in the given order, titled `caption`, the value axis
/// described by `y_desc`. `y_max` fixes the top of the value axis; `None` fits it to the data.
pub fn bars(caption: &str, y_desc: &str, bars: &[(String, f64)], y_max: Option<f64>) -> String {
    let n = i32::try_from(bars.len()).unwrap_or(i32::MAX);
    let top = y_max.unwrap_or_else(|| y_top(bars.iter().map(|b| b.1)));
    render(|svg| {
        let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FONT, 20).into_font().color(&INK))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(56)
            .build_cartesian_2d((0..(n - 1).max(0)).into_segmented(), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .y_label_formatter(&tick)
            .x_labels(bars.len().max(1))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| bars.get(i))
                    .map(|b| b.0.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(y_desc)
            .label_style((FONT, 14).into_font().color(&INK))
            .axis_desc_style((FONT, 14).into_font().color(&INK))
            .draw()?;
        chart.draw_series((0..n).zip(bars).map(|(i, (_, v))| {
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), *v),
                ],
                ACCENT.filled(),
            );
            bar.set_margin(0, 0, 12, 12);
            bar
        }))?;
        // The value above each bar, so the chart reads without the grid.
        let value_style = (FONT, 14)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series((0..n).zip(bars).map(|(i, (_, v))| {
            EmptyElement::at((SegmentValue::CenterOf(i), *v))
                + Text::new(tick(v), (0, -4), value_style.clone())
        }))?;
        root.present()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::assert_csp_safe;

    #[test]
    fn a_bar_chart_shows_its_caption_axis_and_every_category() {
        let data: Vec<(String, f64)> = [("A", 3.0), ("B", 5.0), ("C", 0.0), ("D", 1.0)]
            .map(|(g, n)| (g.to_string(), n))
            .to_vec();
        let svg = bars("等级分布", "人数", &data, None);
        assert_csp_safe(&svg);
        for text in ["等级分布", "人数", "\nA\n", "\nB\n", "\nC\n", "\nD\n"] {
            assert!(svg.contains(text), "{text} missing in {svg}");
        }
        assert!(svg.matches("<rect").count() >= 4, "{svg}");
        assert!(svg.contains("\n5\n"), "values are written on the bars");
    }

    #[test]
    fn an_empty_bar_chart_still_renders() {
        let svg = bars("Grades", "Agents", &[], None);
        assert_csp_safe(&svg);
        assert!(svg.contains("Grades"));
    }
}
