//! Who may see and change mapping profiles, and uploads read through one.

use axum::http::StatusCode;
use jixiao_store::{PageReq, contract_test};

use super::{ACME, ACME_CSV, Part, editor, multipart};
use crate::support::{Browser, app};

contract_test!(
    only_admins_and_managers_may_see_or_change_profiles,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let res = editor(
            &app,
            "/imports/profiles/new",
            "save",
            &manager,
            ACME,
            "",
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        for who in ["sup", "qa", "agent"] {
            let b = app.login(who).await;
            // The same refusal whether the profile exists or not.
            let there = app.get("/imports/profiles/acme-pbx", Some(&b)).await;
            let missing = app.get("/imports/profiles/no-such", Some(&b)).await;
            assert_eq!(there.status, StatusCode::FORBIDDEN, "{who}");
            assert_eq!(there.text(), missing.text(), "{who}");
            let base = "/imports/profiles/acme-pbx";
            for action in ["preview", "save"] {
                let res = editor(&app, base, action, &b, ACME, "1", Some(ACME_CSV)).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {action}");
            }
            let del = app.post_csrf("/imports/profiles/acme-pbx/delete", &b).await;
            assert_eq!(del.status, StatusCode::FORBIDDEN, "{who} delete");
        }
        let admin = app.login("admin").await;
        assert_eq!(
            app.get("/imports/profiles/acme-pbx", Some(&admin))
                .await
                .status,
            StatusCode::OK
        );
        // A forged form (wrong token) changes nothing.
        let forged = Browser {
            csrf: "forged".into(),
            ..manager.clone()
        };
        let res = editor(
            &app,
            "/imports/profiles/acme-pbx",
            "save",
            &forged,
            ACME,
            "1",
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.store.mapping_profile("acme-pbx").await.unwrap().version,
            1
        );
        let anonymous = app.get("/imports/profiles", None).await;
        assert_eq!(
            (anonymous.status, anonymous.location()),
            (StatusCode::SEE_OTHER, "/login")
        );
    }
);

contract_test!(
    a_file_uploaded_with_a_profile_lands_with_the_profile_in_its_lineage,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let res = editor(&app, "/imports/profiles/new", "save", &b, ACME, "", None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let imports = app.get("/imports", Some(&b)).await.text();
        assert!(imports.contains("<option value=\"acme-pbx\">"));
        assert!(imports.contains("<option value=\"pbx-cdr\">"));

        // The kind field says surveys: the profile's kind wins.
        let upload = |profile: &'static str| {
            let b = b.clone();
            let app = &app;
            async move {
                let parts = [
                    Part::Text("csrf", &b.csrf),
                    Part::Text("kind", "surveys"),
                    Part::Text("profile", profile),
                    Part::Text("mode", "lenient"),
                    Part::File("file", "acme-oct.csv", ACME_CSV),
                ];
                multipart(app, "/imports", Some(&b), &parts).await
            }
        };
        let res = upload("acme-pbx").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let job = app.wait_for_job(res.location(), &b).await.text();
        assert!(job.contains("data-status=\"done\""), "{job}");
        let import = &app.store.imports(PageReq::default()).await.unwrap().items[0];
        assert_eq!(import.profile.as_deref(), Some("acme-pbx"));
        assert_eq!(
            (import.kind.as_str(), import.file_name.as_str()),
            ("calls", "acme-oct.csv")
        );
        assert_eq!(
            (import.rows_total, import.inserted, import.rejected),
            (3, 2, 1)
        );
        // The reject names the source's row, column and value.
        let rejects = app.store.import_rejects(import.id).await.unwrap();
        assert_eq!(
            (
                rejects[0].row,
                rejects[0].column.as_str(),
                rejects[0].value.as_str()
            ),
            (4, "Result", "BUSY")
        );
        // The records are there, under the profile's source.
        let calls = app
            .get(
                &format!("/p/{}/agents/A001/calls", crate::support::PERIOD),
                Some(&b),
            )
            .await
            .text();
        assert!(calls.contains("c1"), "{calls}");

        // An unknown profile is refused before anything is queued.
        let before = app.store.imports(PageReq::default()).await.unwrap().total;
        let res = upload("no-such-profile").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.store.imports(PageReq::default()).await.unwrap().total,
            before
        );
    }
);

contract_test!(
    a_file_uploaded_with_a_preset_is_read_by_that_preset,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let imports = app.get("/imports", Some(&b)).await.text();
        for p in jixiao_import::presets::Preset::ALL {
            assert!(
                imports.contains(&format!("<option value=\"preset:{}\">", p.name())),
                "{imports}"
            );
        }
        let csv =
            include_str!("../../../../jixiao-import/tests/fixtures/asterisk/cdr_csv_order.csv");
        let parts = [
            Part::Text("csrf", &b.csrf),
            Part::Text("kind", "surveys"),
            Part::Text("profile", "preset:asterisk"),
            Part::File("file", "Master.csv", csv),
        ];
        let res = multipart(&app, "/imports", Some(&b), &parts).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let job = app.wait_for_job(res.location(), &b).await.text();
        assert!(job.contains("data-status=\"done\""), "{job}");
        let import = &app.store.imports(PageReq::default()).await.unwrap().items[0];
        assert_eq!(import.profile.as_deref(), Some("preset:asterisk"));
        assert_eq!(import.kind, "calls");
        let lines = csv.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(import.rows_total as usize, lines);

        let parts = [
            Part::Text("csrf", &b.csrf),
            Part::Text("kind", "calls"),
            Part::Text("profile", "preset:nope"),
            Part::File("file", "Master.csv", csv),
        ];
        let res = multipart(&app, "/imports", Some(&b), &parts).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);
