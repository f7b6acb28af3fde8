//! The center dashboard `/p/{period}`: target tiles (the numbers of `/config/targets`) and the
//! center's 12-month trend charts (the sums of the stored scorecards), and its JSON twin.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use jixiao_core::Period;
use jixiao_core::targets::{SplitMethod, TargetPlan};
use jixiao_import::canonical;
use jixiao_store::{CardFilter, NewImport, RecordBatch, contract_test, service};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::api::{get as api_get, json, tokens};
use crate::support::*;

const SEPTEMBER: &str = "2026-09";

/// A few September calls, imported (which computes September).
async fn import_september(app: &App) {
    let csv = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,sep1,2026-09-03 09:00:00,A001,INQ,,answered,5,200,0,10
pbx,sep2,2026-09-04 09:00:00,A002,CMP,,answered,5,100,0,0
pbx,sep3,2026-09-05 09:00:00,A002,INQ,,answered,5,60,0,0
pbx,sep4,2026-09-08 10:00:00,A004,INQ,,answered,5,50,0,0
";
    let parsed = canonical::parse_calls(csv.as_bytes()).unwrap();
    let batch = RecordBatch {
        calls: parsed.records,
        ..RecordBatch::default()
    };
    let import = NewImport {
        kind: "calls".into(),
        file_name: "sep.csv".into(),
        file_hash: canonical::file_hash(csv.as_bytes()),
        file_size: csv.len() as i64,
        rows_total: parsed.rows_total,
        imported_by: "test".into(),
        imported_at: chrono::Utc::now(),
        mode: jixiao_store::ImportMode::Lenient,
        profile: None,
    };
    service::import(&app.store, &import, &batch, &|_| {})
        .await
        .unwrap();
}

/// A handled target of 10 for the fixture's period, split by headcount.
async fn set_handled_target(app: &App) {
    let plan = TargetPlan {
        measure: "handled".into(),
        whole: Decimal::from(10),
        dp: 0,
        departments: SplitMethod::Headcount,
        teams: SplitMethod::Headcount,
        agents: SplitMethod::Headcount,
        explicit: BTreeMap::new(),
    };
    service::set_target(&app.store, period(), &plan, "manager", chrono::Utc::now())
        .await
        .unwrap();
}

/// The `<td class="num">` cells of the `/config/targets` row labelled `label`: target, parts,
/// actual, attainment.
fn config_row(html: &str, label: &str) -> Vec<String> {
    let at = html
        .find(&format!("{label}</td>"))
        .unwrap_or_else(|| panic!("no row {label} in {html}"));
    html[at..]
        .split("<td class=\"num\">")
        .skip(1)
        .take(4)
        .map(|cell| cell.split("</td>").next().unwrap().trim().to_string())
        .collect()
}

/// The cell of `series` in the trend table's row of `period`.
fn trend_cell(html: &str, period: &str, series: &str) -> String {
    let row = html
        .split(&format!("<tr data-period=\"{period}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no trend row {period}"));
    let row = row.split("</tr>").next().unwrap();
    let cell = row
        .split(&format!("data-series=\"{series}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no {series} in {row}"));
    cell.split("</td>").next().unwrap().to_string()
}

fn two_places(d: Decimal) -> String {
    format!(
        "{:.2}",
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    )
}

/// Σ handled, Σ points and the mean total of the stored cards of `p`.
async fn sums(app: &App, p: &str) -> (Decimal, Decimal, Option<Decimal>) {
    let p: Period = p.parse().unwrap();
    let cards = app
        .store
        .scorecards(p, &CardFilter::default())
        .await
        .unwrap();
    assert!(!cards.is_empty(), "{p} has cards");
    let totals: Vec<Decimal> = cards.iter().filter_map(|c| c.total).collect();
    let mean = (!totals.is_empty())
        .then(|| totals.iter().sum::<Decimal>() / Decimal::from(totals.len()))
        .map(|m| m.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero));
    (
        Decimal::from(cards.iter().map(|c| c.handled).sum::<u64>()),
        cards.iter().map(|c| c.points).sum(),
        mean,
    )
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("not a decimal string: {v}"))
        .parse()
        .unwrap()
}

contract_test!(
    the_overview_shows_each_target_with_the_numbers_of_config_targets,
    |store| async move {
        let app = app(store).await;
        set_handled_target(&app).await;
        let manager = app.login("manager").await;
        let config = app
            .get(&format!("/config/targets?period={PERIOD}"), Some(&manager))
            .await
            .text();
        let page = app.get(&format!("/p/{PERIOD}"), Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("id=\"overview-targets\""), "{html}");
        assert!(html.contains(&format!("href=\"/config/targets?period={PERIOD}")));
        let section = html
            .split("id=\"overview-targets\"")
            .nth(1)
            .unwrap()
            .split("</section>")
            .next()
            .unwrap();
        for label in ["center", "CALL 话务部", "SALES 营销部"] {
            let cells = config_row(&config, label);
            let (target, actual, attainment) = (&cells[0], &cells[2], &cells[3]);
            let tile = format!("<strong>{actual} / {target}</strong>");
            assert!(section.contains(&tile), "{label}: {tile} in {section}");
            assert!(
                section.contains(&format!("{attainment}%")),
                "{label}: {attainment} in {section}"
            );
        }
        // The center's actual is every card's handled; the department tiles carry their label.
        let (handled, _, _) = sums(&app, PERIOD).await;
        assert_eq!(config_row(&config, "center")[2], handled.to_string());
        assert!(section.contains("CALL 话务部") && section.contains("SALES 营销部"));
        // Met or not met, by attainment.
        let met = handled >= Decimal::from(10);
        let class = if met { "target-met" } else { "target-not-met" };
        assert!(section.contains(class), "{class} in {section}");
        // No agent or team rows on the overview.
        assert!(!section.contains("CALL-01"), "{section}");

        // The JSON twin carries the same units and numbers.
        let t = tokens(&app).await;
        let o = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/overview"),
                Some(&t[1].1),
            )
            .await,
        );
        let all = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/targets"),
                Some(&t[1].1),
            )
            .await,
        );
        let units = o["targets"][0]["units"].as_array().unwrap();
        assert_eq!(o["targets"][0]["measure"], "handled");
        assert_eq!(units.len(), 3, "{units:?}");
        for u in units {
            assert!(u["depth"].as_u64().unwrap() <= 1);
            let same = all[0]["units"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["unit"] == u["unit"])
                .unwrap();
            assert_eq!(u, same);
        }
        assert_eq!(dec(&units[0]["actual"]), handled);

        // QA sees the overview but no targets, on the page and in the API, as before.
        let qa = app.login("qa").await;
        let html = app.get(&format!("/p/{PERIOD}"), Some(&qa)).await.text();
        assert!(!html.contains("id=\"overview-targets\""));
        let o = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/overview"),
                Some(&t[3].1),
            )
            .await,
        );
        assert_eq!(o["targets"], Value::Array(vec![]));
    }
);

contract_test!(
    a_period_without_targets_shows_no_target_block,
    |store| async move {
        let app = app(store).await;
        import_september(&app).await;
        set_handled_target(&app).await;
        let manager = app.login("manager").await;
        let html = app
            .get(&format!("/p/{SEPTEMBER}"), Some(&manager))
            .await
            .text();
        assert!(html.contains("id=\"center-trends\""), "{html}");
        assert!(!html.contains("id=\"overview-targets\""), "{html}");
        let t = tokens(&app).await;
        let o = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{SEPTEMBER}/overview"),
                Some(&t[1].1),
            )
            .await,
        );
        assert_eq!(o["targets"], Value::Array(vec![]));
        // September's trend ends with September.
        assert_eq!(o["trend"]["periods"], serde_json::json!([SEPTEMBER]));
    }
);

contract_test!(
    the_trend_charts_show_each_periods_stored_card_sums,
    |store| async move {
        let app = app(store).await;
        import_september(&app).await;
        let manager = app.login("manager").await;
        let html = app
            .get(&format!("/p/{PERIOD}"), Some(&manager))
            .await
            .text();
        let trends = html
            .split("id=\"center-trends\"")
            .nth(1)
            .unwrap_or_else(|| panic!("no trends in {html}"))
            .split("</section>")
            .next()
            .unwrap();
        for code in [
            "handled",
            "points",
            "average_total",
            "aht",
            "csat",
            "qa",
            "service_level",
            "fcr",
        ] {
            let fig = format!("id=\"trend-{code}\"><svg");
            assert!(trends.contains(&fig), "{fig}");
        }
        assert!(trends.contains("<polyline"), "a line is drawn");
        assert!(trends.contains("Handled interactions over 12 months"));
        let t = tokens(&app).await;
        let o = json(
            &api_get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/overview"),
                Some(&t[1].1),
            )
            .await,
        );
        let trend = &o["trend"];
        assert_eq!(trend["periods"], serde_json::json!([SEPTEMBER, PERIOD]));
        let series = |code: &str| -> Vec<Value> {
            trend["series"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["code"] == code)
                .unwrap_or_else(|| panic!("no series {code}"))["values"]
                .as_array()
                .unwrap()
                .clone()
        };
        for (i, p) in [SEPTEMBER, PERIOD].into_iter().enumerate() {
            let (handled, points, mean) = sums(&app, p).await;
            assert_eq!(trend_cell(trends, p, "handled"), handled.to_string(), "{p}");
            assert_eq!(trend_cell(trends, p, "points"), two_places(points), "{p}");
            assert_eq!(dec(&series("handled")[i]), handled, "{p}");
            assert_eq!(dec(&series("points")[i]), points, "{p}");
            match mean {
                Some(m) => {
                    assert_eq!(trend_cell(trends, p, "average_total"), two_places(m));
                    assert_eq!(dec(&series("average_total")[i]), m);
                }
                None => assert!(series("average_total")[i].is_null()),
            }
        }
        assert_eq!(dec(&series("handled")[0]), Decimal::from(4));
        // The shown period's KPIs are the library tiles' values.
        for k in o["center_kpis"].as_array().unwrap() {
            let code = k["kpi"].as_str().unwrap();
            if ["aht", "csat", "service_level", "fcr"].contains(&code) {
                assert_eq!(series(code)[1], k["value"], "{code}");
            }
        }
        // September had no surveys: no CSAT, which is not 0.
        assert!(series("csat")[0].is_null());
        assert_eq!(trend_cell(trends, SEPTEMBER, "csat"), "—");
    }
);
