//! Background imports: the upload returns at once, the job page shows progress then the result,
//! strict and lenient uploads, and who may see a job.

use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use jixiao_store::{
    ImportMode, ImportProgress, ImportStage, ImportStatus, JOB_STALE_AFTER_SECS, JobStatus, NewJob,
    contract_test,
};

use crate::support::{App, app};

const TWO_GOOD_ONE_BAD: &str = "\
source,record_id,started_at,employee_no,business_type,customer_id,outcome,wait_secs,talk_secs,hold_secs,acw_secs
pbx,j1,2026-10-21 09:00:00,A003,INQ,,answered,5,200,0,10
pbx,j2,2026-10-21 09:05:00,A003,CMP,,answered,5,250,0,10
pbx,j3,2026-10-21 09:10:00,A003,INQ,,answered,5,abc,0,10
";

fn status(html: &str) -> &str {
    let at = html.find("data-status=\"").expect("a job page") + "data-status=\"".len();
    html[at..].split('"').next().unwrap()
}

fn counter(html: &str, id: &str) -> i64 {
    let at = html.find(&format!("id=\"{id}\">")).expect(id) + id.len() + 6;
    html[at..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A job recorded directly in the store, as another instance would have.
async fn job_by(app: &App, who: &str) -> i64 {
    app.store
        .create_job(&NewJob {
            kind: "calls".into(),
            file_name: "big.csv".into(),
            file_size: 1 << 20,
            mode: ImportMode::Lenient,
            created_by: who.into(),
            created_at: Utc::now(),
        })
        .await
        .unwrap()
}

contract_test!(
    an_upload_returns_at_once_and_its_job_page_ends_with_the_result,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let res = app
            .upload_raw(Some(&b), "calls", "oct-21.csv", TWO_GOOD_ONE_BAD, None)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let job = res.location().to_string();
        assert!(job.starts_with("/imports/jobs/"), "{job}");

        let page = app.wait_for_job(&job, &b).await;
        let html = page.text();
        assert_eq!(status(&html), "done", "{html}");
        assert!(
            !html.contains("http-equiv=\"refresh\""),
            "a finished job stops refreshing"
        );
        assert_eq!(
            (counter(&html, "inserted"), counter(&html, "rejected")),
            (2, 1)
        );
        let import = app.store.imports(Default::default()).await.unwrap().items[0].clone();
        assert!(html.contains(&format!("/imports/{}/rejects.csv", import.id)));
        assert!(html.contains("abc"), "the reject is listed");
        assert_eq!(import.file_name, "oct-21.csv");
    }
);

contract_test!(
    a_running_job_shows_its_stage_and_a_progress_bar_and_refreshes,
    |store| async move {
        let app = app(store).await;
        let b = app.login("admin").await;
        let id = job_by(&app, "manager").await;
        let path = format!("/imports/jobs/{id}");
        let queued = app.get(&path, Some(&b)).await.text();
        assert_eq!(status(&queued), "queued");
        assert!(queued.contains("<meta http-equiv=\"refresh\" content=\"1\">"));
        assert!(queued.contains("<progress"));

        let p = ImportProgress {
            stage: ImportStage::Writing,
            done: 20_000,
            total: 45_000,
        };
        app.store.job_progress(id, &p, Utc::now()).await.unwrap();
        let running = app.get(&path, Some(&b)).await.text();
        assert_eq!(status(&running), "running");
        assert!(
            running.contains("<progress max=\"45000\" value=\"20000\">"),
            "{running}"
        );
        assert!(
            running.contains("Writing records: 20000 / 45000"),
            "{running}"
        );
        assert!(running.contains("http-equiv=\"refresh\""));
    }
);

contract_test!(
    a_job_whose_process_died_is_shown_as_interrupted,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let id = job_by(&app, "manager").await;
        let long_ago = Utc::now() - TimeDelta::seconds(JOB_STALE_AFTER_SECS + 60);
        let p = ImportProgress {
            stage: ImportStage::Writing,
            done: 1,
            total: 2,
        };
        app.store.job_progress(id, &p, long_ago).await.unwrap();
        let html = app
            .get(&format!("/imports/jobs/{id}"), Some(&b))
            .await
            .text();
        assert_eq!(status(&html), "failed");
        assert!(html.contains("interrupted"), "{html}");
        assert!(!html.contains("http-equiv=\"refresh\""));
    }
);

contract_test!(
    a_strict_upload_with_a_bad_row_is_refused_and_a_lenient_one_lands,
    |store| async move {
        let app = app(store).await;
        let b = app.login("manager").await;
        let form = app.get("/imports", Some(&b)).await.text();
        assert!(form.contains("name=\"mode\"") && form.contains("value=\"strict\""));

        let strict = app
            .upload_mode(Some(&b), "calls", "s.csv", TWO_GOOD_ONE_BAD, Some("strict"))
            .await
            .text();
        assert_eq!(status(&strict), "refused", "{strict}");
        assert_eq!(
            (counter(&strict, "inserted"), counter(&strict, "rejected")),
            (0, 1)
        );
        assert!(
            strict.contains("no record from this file was imported"),
            "{strict}"
        );
        let refused = app.store.imports(Default::default()).await.unwrap().items[0].clone();
        assert_eq!(
            (refused.mode, refused.status),
            (ImportMode::Strict, ImportStatus::Refused)
        );
        let list = app.get("/imports", Some(&b)).await.text();
        assert!(list.contains("Refused"), "the list marks it");

        let lenient = app
            .upload_mode(
                Some(&b),
                "calls",
                "s.csv",
                TWO_GOOD_ONE_BAD,
                Some("lenient"),
            )
            .await
            .text();
        assert_eq!(status(&lenient), "done");
        assert_eq!(
            counter(&lenient, "inserted"),
            2,
            "nothing of the strict try had landed"
        );

        let bad = app
            .upload_raw(Some(&b), "calls", "s.csv", TWO_GOOD_ONE_BAD, Some("sloppy"))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

contract_test!(
    a_job_is_seen_by_its_starter_and_managers_and_is_missing_for_others,
    |store| async move {
        let app = app(store).await;
        let by_manager = format!("/imports/jobs/{}", job_by(&app, "manager").await);
        // Jobs started by others (say through the API by a token of an agent's account).
        let by_agent = format!("/imports/jobs/{}", job_by(&app, "agent").await);
        let missing = "/imports/jobs/999999";
        let mut failures = Vec::new();
        for (who, sees_managers_job, sees_agents_job) in [
            ("admin", true, true),
            ("manager", true, true),
            ("sup", false, false),
            ("qa", false, false),
            ("agent", false, true),
        ] {
            let b = app.login(who).await;
            let none = app.get(missing, Some(&b)).await;
            assert_eq!(none.status, StatusCode::NOT_FOUND);
            for (path, sees) in [
                (&by_manager, sees_managers_job),
                (&by_agent, sees_agents_job),
            ] {
                let res = app.get(path, Some(&b)).await;
                let ok = if sees {
                    res.status == StatusCode::OK
                } else {
                    res.status == StatusCode::NOT_FOUND && res.text() == none.text()
                };
                if !ok {
                    failures.push(format!("GET {path} as {who}: {}", res.status));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        let anonymous = app.get(&by_manager, None).await;
        assert_eq!(
            (anonymous.status, anonymous.location()),
            (StatusCode::SEE_OTHER, "/login")
        );
        let b = app.login("admin").await;
        assert_eq!(
            app.get("/imports/jobs/not-a-number", Some(&b)).await.status,
            StatusCode::NOT_FOUND
        );
        let job = app
            .store
            .job(by_manager.rsplit('/').next().unwrap().parse().unwrap())
            .await
            .unwrap();
        assert_eq!(job.status, JobStatus::Queued, "looking does not change it");
    }
);
