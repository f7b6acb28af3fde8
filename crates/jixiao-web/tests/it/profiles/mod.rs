//! Mapping profiles on the web: the list, the editor's preview and save, validation errors
//! shown with their code, shipped profiles read-only; who may use the pages and uploads read
//! through a profile are in `access`.

mod access;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jixiao_store::contract_test;

use crate::support::{App, Browser, Resp, app};

/// A profile for a foreign export of the fixture center's calls.
pub(super) const ACME: &str = r#"# ACME's call export
name = "acme-pbx"
kind = "calls"
source = "acme"
header = true
timezone = "Asia/Shanghai"

[fields]
record_id = { column = "CallId" }
started_at = { column = "Start", format = "%d.%m.%Y %H:%M" }
employee_no = { column = "Agent" }
business_type = { constant = "INQ" }
outcome = { column = "Result", map = { OK = "answered", LOST = "abandoned" } }
wait_secs = { column = "Wait", format = "secs" }
talk_secs = { column = "Talk", format = "hms", default = "0" }
hold_secs = { constant = "0" }
acw_secs = { constant = "0" }
"#;

/// Two good rows and one whose result the profile does not map.
pub(super) const ACME_CSV: &str = "\
CallId,Start,Agent,Result,Wait,Talk
c1,21.10.2026 09:00,A001,OK,5,0:03:20
c2,21.10.2026 09:05,A002,OK,40,0:01:10
c3,21.10.2026 09:10,A001,BUSY,5,0:01:00
";

/// One part of a multipart form: a text field, or a file (name, bytes).
pub(super) enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a str),
}

/// Posts a multipart form as a same-origin browser would.
pub(super) async fn multipart(
    app: &App,
    path: &str,
    who: Option<&Browser>,
    parts: &[Part<'_>],
) -> Resp {
    let boundary = "XjixiaoProfileBoundaryX";
    let mut body = String::new();
    for part in parts {
        body.push_str(&format!("--{boundary}\r\n"));
        match part {
            Part::Text(name, value) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )),
            Part::File(name, file, content) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: text/csv\r\n\r\n{content}\r\n"
            )),
        }
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let mut req = Request::post(path)
        .header(header::HOST, "jixiao.test")
        .header(header::ORIGIN, "http://jixiao.test")
        .header("sec-fetch-site", "same-origin")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
    if let Some(b) = who {
        req = req.header(header::COOKIE, &b.cookie);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

/// The editor's form: text, version, and an optional sample; `action` is `preview` or `save`.
pub(super) async fn editor(
    app: &App,
    base: &str,
    action: &str,
    b: &Browser,
    toml: &str,
    version: &str,
    sample: Option<&str>,
) -> Resp {
    let mut parts = vec![
        Part::Text("csrf", &b.csrf),
        Part::Text("version", version),
        Part::Text("toml", toml),
    ];
    parts.push(match sample {
        Some(csv) => Part::File("sample", "sample.csv", csv),
        None => Part::File("sample", "", ""),
    });
    multipart(app, &format!("{base}/{action}"), Some(b), &parts).await
}

/// The text of the first element with `id`, tags stripped.
fn by_id(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} in {html}"));
    let open = html[..at].rfind('<').unwrap() + 1;
    let tag: String = html[open..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let from = at + html[at..].find('>').unwrap() + 1;
    let rest = &html[from..];
    let mut text = String::new();
    let mut inside = false;
    for ch in rest[..rest.find(&format!("</{tag}>")).unwrap_or(rest.len())].chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows of the preview table.
fn preview_rows(html: &str) -> usize {
    let table = &html[html.find("id=\"preview\"").expect("a preview table")..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.matches("</tr>").count()
}

contract_test!(
    a_manager_saves_a_profile_and_each_save_bumps_its_version,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let list = app.get("/imports/profiles", Some(&b)).await;
        assert_eq!(list.status, StatusCode::OK);
        // The shipped profiles are listed from the start.
        assert!(list.text().contains("/imports/profiles/pbx-cdr\""));

        let res = editor(&app, "/imports/profiles/new", "save", &b, ACME, "", None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        assert_eq!(res.location(), "/imports/profiles/acme-pbx?saved=1");
        let page = app.get(res.location(), Some(&b)).await.text();
        assert!(page.contains("id=\"profile-saved\""));
        assert_eq!(by_id(&page, "profile-version"), "1");
        // The text is kept as written, comments included.
        assert!(
            page.contains("# ACME&#x27;s call export") || page.contains("# ACME&#39;s call export")
        );
        assert!(
            app.get("/imports/profiles", Some(&b))
                .await
                .text()
                .contains("acme-pbx")
        );

        let edited = ACME
            .replace("Asia/Shanghai", "Asia/Hong_Kong")
            .replace('\n', "\r\n");
        let base = "/imports/profiles/acme-pbx";
        let res = editor(&app, base, "save", &b, &edited, "1", None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let stored = app.store.mapping_profile("acme-pbx").await.unwrap();
        assert_eq!(stored.version, 2);
        assert_eq!(stored.updated_by, "manager");
        // Line ends as a browser sends them are stored as plain newlines.
        assert!(
            stored.toml.contains("Asia/Hong_Kong\"\n") && !stored.toml.contains('\r'),
            "{:?}",
            stored.toml
        );

        // Another save from the page opened at version 1 would overwrite version 2: refused.
        let stale = editor(&app, base, "save", &b, ACME, "1", None).await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(by_id(&stale.text(), "profile-error").starts_with("profile_err_conflict"));
        // And a new profile cannot take an existing name.
        let taken = editor(&app, "/imports/profiles/new", "save", &b, ACME, "", None).await;
        assert!(by_id(&taken.text(), "profile-error").starts_with("profile_err_exists"));
        assert_eq!(
            app.store.mapping_profile("acme-pbx").await.unwrap().version,
            2
        );
    }
);

contract_test!(
    the_preview_shows_each_fields_value_or_why_the_row_will_be_rejected,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let res = editor(
            &app,
            "/imports/profiles/new",
            "preview",
            &b,
            ACME,
            "",
            Some(ACME_CSV),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let html = res.text();
        assert_eq!(preview_rows(&html), 3);
        assert_eq!(
            by_id(&html, "preview-summary"),
            "Rows that would be imported: 2 · rows that would be rejected: 1 \
             Highlighted cells say why the row would be rejected; hover for the source column and value."
        );
        // Values in canonical form: the date re-written, H:MM:SS as seconds.
        assert!(html.contains("2026-10-21 09:00:00"));
        assert!(html.contains("<td class=\"value\">200</td>"));
        assert!(html.contains("<td class=\"value\">answered</td>"));
        // The unmapped result is highlighted with its reason and the value found.
        let bad = &html[html.find("class=\"rejected\"").expect("a rejected cell")..];
        assert!(bad.contains("BUSY"), "{bad}");
        assert!(!html.contains("id=\"profile-error\""));
        // Nothing was saved.
        assert!(app.store.mapping_profiles().await.unwrap().is_empty());

        // Only the first 20 rows are read.
        let mut long = String::from("CallId,Start,Agent,Result,Wait,Talk\n");
        for i in 0..30 {
            long.push_str(&format!("r{i},21.10.2026 10:{i:02},A001,OK,1,0:00:30\n"));
        }
        let res = editor(
            &app,
            "/imports/profiles/new",
            "preview",
            &b,
            ACME,
            "",
            Some(&long),
        )
        .await;
        assert_eq!(preview_rows(&res.text()), 20);

        // Without a sample the text is only checked.
        let res = editor(&app, "/imports/profiles/new", "preview", &b, ACME, "", None).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.text().contains("id=\"profile-no-sample\""));
    }
);

contract_test!(
    a_profile_that_cannot_be_used_is_shown_with_its_code_next_to_its_text,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let new = "/imports/profiles/new";
        let cases = [
            (
                ACME.replace("kind = \"calls\"", "kind = \"faxes\""),
                "profile_unknown_kind",
            ),
            (
                ACME.replace("header = true", "header = maybe"),
                "profile_syntax",
            ),
            (
                ACME.replace("record_id = { column = \"CallId\" }\n", ""),
                "profile_missing_field",
            ),
            (
                ACME.replace("Asia/Shanghai", "Mars/Olympus"),
                "profile_unknown_timezone",
            ),
            (ACME.replace("acme-pbx", "acme pbx"), "profile_err_name"),
        ];
        for (text, code) in &cases {
            for action in ["save", "preview"] {
                let res = editor(&app, new, action, &b, text, "", Some(ACME_CSV)).await;
                assert_eq!(
                    res.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{code} {action}"
                );
                let html = res.text();
                let error = by_id(&html, "profile-error");
                assert!(error.starts_with(code), "{action}: {error}");
                // The text stays in the editor to be corrected.
                assert!(html.contains("textarea id=\"profile-toml\""));
                assert!(html.contains("kind = &quot;") || html.contains("kind = &#34;"));
            }
        }
        // A column the sample does not have is found at preview.
        let res = editor(
            &app,
            new,
            "preview",
            &b,
            ACME,
            "",
            Some("CallId,Begin\nc1,x\n"),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = by_id(&res.text(), "profile-error");
        assert!(error.starts_with("profile_column_missing"), "{error}");
        assert!(app.store.mapping_profiles().await.unwrap().is_empty());
    }
);

contract_test!(
    a_shipped_profile_is_read_only_and_is_copied_under_a_new_name,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let shipped = app.get("/imports/profiles/pbx-cdr", Some(&b)).await;
        assert_eq!(shipped.status, StatusCode::OK);
        assert!(!shipped.text().contains("id=\"profile-delete\""));
        let text = jixiao_import::mapping::BUILTIN[0].1;
        let res = editor(
            &app,
            "/imports/profiles/pbx-cdr",
            "save",
            &b,
            text,
            "",
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(by_id(&res.text(), "profile-error").starts_with("profile_err_builtin"));

        let copy = app
            .get("/imports/profiles/new?from=pbx-cdr", Some(&b))
            .await
            .text();
        assert!(
            copy.contains("name = &quot;pbx-cdr-copy&quot;")
                || copy.contains("name = &#34;pbx-cdr-copy&#34;")
        );
        let copied = text.replace("name = \"pbx-cdr\"", "name = \"pbx-cdr-copy\"");
        let res = editor(
            &app,
            "/imports/profiles/pbx-cdr",
            "save",
            &b,
            &copied,
            "",
            None,
        )
        .await;
        assert_eq!(res.location(), "/imports/profiles/pbx-cdr-copy?saved=1");
        assert_eq!(
            app.store
                .mapping_profile("pbx-cdr-copy")
                .await
                .unwrap()
                .toml,
            copied
        );
        // A shipped profile cannot be deleted; a saved one can.
        let gone = app.post_csrf("/imports/profiles/pbx-cdr/delete", &b).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let del = app
            .post_csrf("/imports/profiles/pbx-cdr-copy/delete", &b)
            .await;
        assert_eq!(
            (del.status, del.location()),
            (StatusCode::SEE_OTHER, "/imports/profiles")
        );
        assert!(app.store.mapping_profiles().await.unwrap().is_empty());
        let missing = app.get("/imports/profiles/pbx-cdr-copy", Some(&b)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);
