//! The scorecard workbook's chart sheet: the distribution of total scores and the points of
//! each team, written as two small tables with a native Excel column chart beside each, so the
//! charts stay live if someone corrects a number in the tables.

use std::collections::BTreeMap;

use jixiao_core::distribution::{self, SCORE_BAND};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, XlsxError};

use super::{ExportRow, Lang};

/// Cards per 10-point band of the total score (90–100 includes 100); cards without a total
/// are left out.
pub(crate) fn score_bands(rows: &[ExportRow]) -> Vec<(String, u32)> {
    let bands = distribution::score_bands(rows.iter().filter_map(|r| r.card.total));
    (0_u32..)
        .zip(bands)
        .map(|(i, n)| (format!("{}-{}", i * SCORE_BAND, (i + 1) * SCORE_BAND), n))
        .collect()
}

/// Σ points per team, teams by name.
pub(crate) fn team_points(rows: &[ExportRow]) -> Vec<(String, Decimal)> {
    let mut by_team: BTreeMap<&str, Decimal> = BTreeMap::new();
    for r in rows {
        *by_team.entry(&r.team).or_default() += r.card.points;
    }
    by_team
        .into_iter()
        .map(|(t, p)| (t.to_string(), p))
        .collect()
}

/// Adds the chart sheet (图表 / Charts) after the data sheet.
pub(crate) fn add_chart_sheet(
    wb: &mut Workbook,
    rows: &[ExportRow],
    lang: Lang,
) -> Result<(), XlsxError> {
    let zh = lang == Lang::Zh;
    let pick = |en: &'static str, cn: &'static str| if zh { cn } else { en };
    let name = pick("Charts", "图表");
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.set_column_width(0, 14.0)?;
    ws.set_column_width(4, 16.0)?;

    let bands = score_bands(rows);
    ws.write_string_with_format(0, 0, pick("Total score", "总分区间"), &bold)?;
    ws.write_string_with_format(0, 1, pick("Agents", "人数"), &bold)?;
    for (i, (label, n)) in (1_u32..).zip(&bands) {
        ws.write_string(i, 0, label)?;
        ws.write_number(i, 1, f64::from(*n))?;
    }
    let last = bands.len() as u32;
    let mut dist = Chart::new(ChartType::Column);
    dist.title()
        .set_name(pick("Distribution of total scores", "总分分布"));
    dist.add_series()
        .set_name(pick("Agents", "人数"))
        .set_categories((name, 1, 0, last, 0))
        .set_values((name, 1, 1, last, 1));
    dist.legend().set_hidden();
    dist.x_axis().set_name(pick("Total score", "总分区间"));
    dist.y_axis().set_name(pick("Agents", "人数"));
    ws.insert_chart(0, 7, &dist)?;

    let teams = team_points(rows);
    ws.write_string_with_format(0, 4, pick("Team", "班组"), &bold)?;
    ws.write_string_with_format(0, 5, pick("Points", "绩效积分"), &bold)?;
    let two = Format::new().set_num_format("0.00");
    for (i, (team, points)) in (1_u32..).zip(&teams) {
        ws.write_string(i, 4, team)?;
        // The one place a Decimal becomes a double: Excel stores nothing else.
        ws.write_number_with_format(i, 5, points.to_f64().unwrap_or(0.0), &two)?;
    }
    if !teams.is_empty() {
        let last = teams.len() as u32;
        let mut by_team = Chart::new(ChartType::Column);
        by_team
            .title()
            .set_name(pick("Points by team", "各班组绩效积分"));
        by_team
            .add_series()
            .set_name(pick("Points", "绩效积分"))
            .set_categories((name, 1, 4, last, 4))
            .set_values((name, 1, 5, last, 5));
        by_team.legend().set_hidden();
        ws.insert_chart(16, 7, &by_team)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::scorecard::Scorecard;
    use rust_decimal::dec;

    fn row(team: &str, points: Decimal, total: Option<Decimal>) -> ExportRow {
        let mut card: Scorecard = serde_json::from_value(serde_json::json!({
            "employee_id": 1, "employee_no": "A001", "name": "", "team_id": 1, "days": 31,
            "handled": 0, "points": "0", "points_lines": [], "kpis": [], "total": null,
            "grade": null, "rank_in_team": null, "unit_price": "0", "variable_pay": "0",
            "rounding": "", "notes": []
        }))
        .unwrap();
        card.points = points;
        card.total = total;
        ExportRow {
            department: "CALL".into(),
            team: team.into(),
            card,
        }
    }

    #[test]
    fn bands_count_totals_and_teams_sum_points() {
        let rows = [
            row("B", dec!(1.5), Some(dec!(100))),
            row("A", dec!(2), Some(dec!(59.99))),
            row("B", dec!(3), None),
        ];
        let bands: Vec<u32> = score_bands(&rows).iter().map(|b| b.1).collect();
        assert_eq!(bands, [0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!(
            team_points(&rows),
            [("A".to_string(), dec!(2)), ("B".to_string(), dec!(4.5))]
        );
    }

    #[test]
    fn the_scorecard_workbook_carries_two_native_charts_on_a_chart_sheet() {
        let rows = [row("A", dec!(2), Some(dec!(75)))];
        let bytes = super::super::scorecard_workbook(&rows, Lang::En).unwrap();
        let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
        assert!(has("xl/charts/chart1.xml") && has("xl/charts/chart2.xml"));
        assert!(has("xl/worksheets/sheet2.xml"));
    }
}
