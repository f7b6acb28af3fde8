//! The JSON twins of page views: the center overview, the payroll, an import's replaced records,
//! and the period's workbooks for token clients.

use std::io::Cursor;

use axum::http::{Method, StatusCode, header};
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use jixiao_store::contract_test;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json as js};

use super::{call, get, json, tokens};
use crate::support::{App, PERIOD, app};

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("not a decimal string: {v}"))
        .parse()
        .unwrap()
}

/// As the pages print a decimal: two places, half away from zero.
fn dec2(v: &Value) -> String {
    let d = dec(v).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{d:.2}")
}

/// Every sheet's cells, tab-separated, one row a line.
fn sheet_text(bytes: &[u8]) -> String {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a real xlsx");
    let mut text = String::new();
    for name in wb.sheet_names() {
        for row in wb.worksheet_range(&name).unwrap().rows() {
            for cell in row {
                text.push_str(&cell.to_string());
                text.push('\t');
            }
            text.push('\n');
        }
    }
    text
}

contract_test!(
    the_overview_json_shows_the_figures_of_the_overview_page,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = t[1].1.as_str();
        let res = get(
            &app,
            &format!("/api/v1/periods/{PERIOD}/overview"),
            Some(manager),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let o = json(&res);
        assert_eq!(o["period"]["period"], PERIOD);
        // The page's tiles, from the same roll-up.
        let html = get(&app, &format!("/p/{PERIOD}"), Some(manager))
            .await
            .text();
        let center = &o["center"];
        assert_eq!(center["headcount"], 4, "{o}");
        for tile in [
            center["headcount"].to_string(),
            center["handled"].to_string(),
            dec2(&center["points"]),
            dec2(&center["pay"]),
        ] {
            assert!(
                html.contains(&format!("<strong>{tile}</strong>")),
                "tile {tile}"
            );
        }
        assert!(center["points"].is_string() && center["pay"].is_string());
        // Departments side by side, each with its teams.
        let depts = o["departments"].as_array().unwrap();
        let names: Vec<&str> = depts.iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["话务部", "营销部"]);
        assert_eq!(depts[0]["figures"]["headcount"], 3);
        assert_eq!(depts[0]["teams"].as_array().unwrap().len(), 2);
        assert_eq!(depts[1]["teams"][0]["code"], "SALES-01");
        // The center's library tiles, in the page's order.
        let kpis: Vec<&str> = o["center_kpis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kpi"].as_str().unwrap())
            .collect();
        assert_eq!(kpis[0], "service_level", "{kpis:?}");
        assert!(kpis.contains(&"aht"));
        // The distribution counts every total of the period's cards in its band.
        let cards = json(
            &get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/scorecards?per_page=500"),
                Some(manager),
            )
            .await,
        );
        let totals: Vec<Decimal> = cards["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| !c["total"].is_null())
            .map(|c| dec(&c["total"]))
            .collect();
        assert!(!totals.is_empty());
        let bands = o["distribution"].as_array().unwrap();
        assert_eq!(bands.len(), 10);
        for band in bands {
            let (from, to) = (band["from"].as_u64().unwrap(), band["to"].as_u64().unwrap());
            let want = totals
                .iter()
                .filter(|t| {
                    let t = **t;
                    t >= Decimal::from(from) && (t < Decimal::from(to) || to == 100)
                })
                .count();
            assert_eq!(band["count"], want, "band {from}–{to}");
        }
        // No target in the fixture: no target tiles. The trend: this period only, each series
        // from the cards (handled, points) or the library tiles' values.
        assert_eq!(o["targets"], js!([]));
        assert!(!html.contains("id=\"overview-targets\""));
        assert_eq!(o["trend"]["periods"], js!([PERIOD]));
        let series = o["trend"]["series"].as_array().unwrap();
        let codes: Vec<&str> = series.iter().map(|s| s["code"].as_str().unwrap()).collect();
        assert_eq!(
            codes,
            [
                "handled",
                "points",
                "average_total",
                "aht",
                "csat",
                "qa",
                "service_level",
                "fcr"
            ]
        );
        assert_eq!(
            series[0]["values"][0].to_string(),
            format!("\"{}\"", center["handled"])
        );
        assert_eq!(dec(&series[1]["values"][0]), dec(&center["points"]));
        let aht = o["center_kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kpi"] == "aht")
            .unwrap();
        assert_eq!(series[3]["values"][0], aht["value"]);
        assert!(html.contains("id=\"center-trends\"") && html.contains("id=\"trend-aht\"><svg"));
        // QA sees the overview without pay; supervisors and agents are refused.
        let qa = json(
            &get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/overview"),
                Some(&t[3].1),
            )
            .await,
        );
        assert!(qa["center"]["pay"].is_null() && qa["departments"][0]["figures"]["pay"].is_null());
        assert_eq!(qa["center"]["handled"], center["handled"]);
        for who in [2, 4] {
            let res = get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/overview"),
                Some(&t[who].1),
            )
            .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", t[who].0);
        }
    }
);

/// The CSV's data rows as cells (the fixture's values hold no commas or quotes).
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

contract_test!(
    the_payroll_json_has_exactly_the_rows_of_the_csv_download,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = t[1].1.as_str();
        let res = get(
            &app,
            &format!("/api/v1/periods/{PERIOD}/payroll"),
            Some(manager),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let rows = json(&res)["rows"].as_array().unwrap().clone();
        let csv = get(&app, &format!("/p/{PERIOD}/payroll.csv"), Some(manager)).await;
        assert_eq!(csv.status, StatusCode::OK);
        let want = csv_rows(&csv.bytes);
        assert_eq!(rows.len(), want.len());
        assert_eq!(rows.len(), 4);
        let fields = [
            "employee_no",
            "name",
            "team",
            "points",
            "unit_price",
            "points_pay",
            "kpi_bonus",
            "adjustments",
            "total",
            "rounding",
        ];
        for (row, cells) in rows.iter().zip(&want) {
            let got: Vec<String> = fields
                .iter()
                .map(|f| row[*f].as_str().unwrap_or_default().to_string())
                .collect();
            assert_eq!(&got, cells);
            // Exact decimal strings, never floats.
            assert!(row["total"].is_string(), "{row}");
        }
        // Pay is for the roles that see pay, as the page's download is.
        for who in [2, 3, 4] {
            for path in [
                format!("/api/v1/periods/{PERIOD}/payroll"),
                format!("/api/v1/periods/{PERIOD}/payroll.xlsx"),
            ] {
                let api = get(&app, &path, Some(&t[who].1)).await.status;
                let page = get(&app, &format!("/p/{PERIOD}/payroll.csv"), Some(&t[who].1))
                    .await
                    .status;
                assert_eq!((api, page), (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN));
            }
        }
    }
);

/// One call of A003 whose talk time is `talk` seconds.
fn one_call(talk: u32) -> String {
    js!({
        "source_name": "pbx-fix",
        "records": [{
            "source": "pbx", "record_id": "r1", "started_at": "2026-10-21 09:00:00",
            "employee_no": "A003", "business_type": "INQ", "customer_id": null,
            "outcome": "answered", "wait_secs": 5, "talk_secs": talk,
            "hold_secs": 0, "acw_secs": 0
        }]
    })
    .to_string()
}

async fn import_call(app: &App, token: &str, talk: u32, key: &str) -> i64 {
    let body = one_call(talk);
    let res = call(
        app,
        Method::POST,
        "/api/v1/imports/calls",
        Some(token),
        Some(&body),
        Some(key),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    json(&res)["import_id"].as_i64().unwrap()
}

contract_test!(
    a_reimported_changed_record_is_listed_as_replaced_by_the_new_import,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let manager = t[1].1.as_str();
        let first = import_call(&app, manager, 100, "v1").await;
        let second = import_call(&app, manager, 200, "v2").await;
        let none = json(
            &get(
                &app,
                &format!("/api/v1/imports/{first}/replaced"),
                Some(manager),
            )
            .await,
        );
        assert_eq!(none["total"], 0, "{none}");
        let path = format!("/api/v1/imports/{second}/replaced?page=1&per_page=1");
        let res = get(&app, &path, Some(manager)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let page = json(&res);
        assert_eq!(
            (page["total"].clone(), page["per_page"].clone()),
            (1.into(), 1.into())
        );
        let item = &page["items"][0];
        assert_eq!(item["kind"], "calls");
        assert_eq!(item["source"], "pbx");
        assert_eq!(item["record_id"], "r1");
        assert_eq!(item["previous_import_id"], first);
        // The same rows as the page's CSV.
        let csv = get(
            &app,
            &format!("/imports/{second}/replaced.csv"),
            Some(manager),
        )
        .await;
        assert_eq!(
            csv_rows(&csv.bytes),
            [vec![
                "calls".to_string(),
                "pbx".into(),
                "r1".into(),
                first.to_string()
            ]]
        );
        // Beyond the last page: no rows, the same total.
        let past = json(
            &get(
                &app,
                &format!("/api/v1/imports/{second}/replaced?page=2&per_page=1"),
                Some(manager),
            )
            .await,
        );
        assert_eq!(
            (
                past["items"].as_array().unwrap().len(),
                past["total"].clone()
            ),
            (0, 1.into())
        );
        let missing = get(&app, "/api/v1/imports/999999/replaced", Some(manager)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let sup = get(
            &app,
            &format!("/api/v1/imports/{second}/replaced"),
            Some(&t[2].1),
        )
        .await;
        assert_eq!(sup.status, StatusCode::FORBIDDEN);
    }
);

contract_test!(
    the_workbook_downloads_are_real_workbooks_scoped_like_the_pages,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let xlsx = |who: usize, what: &'static str| {
            let app = &app;
            let token = t[who].1.clone();
            async move {
                let res = get(
                    app,
                    &format!("/api/v1/periods/{PERIOD}/{what}"),
                    Some(&token),
                )
                .await;
                assert_eq!(res.status, StatusCode::OK, "{what}: {}", res.text());
                let ct = res
                    .headers
                    .get(header::CONTENT_TYPE)
                    .unwrap()
                    .to_str()
                    .unwrap();
                assert!(ct.contains("spreadsheetml"), "{ct}");
                assert!(res.bytes.starts_with(b"PK"), "{what} is a zip");
                sheet_text(&res.bytes)
            }
        };
        let all = xlsx(1, "export.xlsx").await;
        for no in ["A001", "A002", "A003", "A004"] {
            assert!(all.contains(no), "{no} in the center's workbook");
        }
        // The page's workbook holds the same rows.
        let page = get(&app, &format!("/p/{PERIOD}/export.xlsx"), Some(&t[1].1)).await;
        assert_eq!(sheet_text(&page.bytes), all);
        let own = xlsx(2, "export.xlsx").await;
        assert!(own.contains("A001") && own.contains("A002"));
        assert!(
            !own.contains("A003") && !own.contains("A004"),
            "only the supervisor's team"
        );
        let payroll = xlsx(0, "payroll.xlsx").await;
        let page = get(&app, &format!("/p/{PERIOD}/payroll.xlsx"), Some(&t[0].1)).await;
        assert_eq!(sheet_text(&page.bytes), payroll);
        assert!(payroll.contains("A004"));
        // Refused as the page refuses.
        for who in [3, 4] {
            let api = get(
                &app,
                &format!("/api/v1/periods/{PERIOD}/export.xlsx"),
                Some(&t[who].1),
            )
            .await;
            let page = get(&app, &format!("/p/{PERIOD}/export.xlsx"), Some(&t[who].1)).await;
            assert_eq!(
                (api.status, page.status),
                (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN)
            );
        }
    }
);

contract_test!(
    the_workbook_routes_are_documented_as_binary_downloads,
    |store| async move {
        let app = app(store).await;
        let doc = json(&get(&app, "/api/openapi.json", None).await);
        for path in [
            "/api/v1/periods/{period}/export.xlsx",
            "/api/v1/periods/{period}/payroll.xlsx",
        ] {
            let ok = &doc["paths"][path]["get"]["responses"]["200"]["content"];
            let schema =
                &ok["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["schema"];
            assert_eq!(
                (schema["type"].as_str(), schema["format"].as_str()),
                (Some("string"), Some("binary")),
                "{path}: {ok}"
            );
        }
    }
);
