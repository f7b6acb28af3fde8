//! Background import jobs: their row, progress, end, and how a dead one is shown.

use crate::fixtures::*;
use chrono::TimeDelta;
use jixiao_store::{
    ImportMode, ImportProgress, ImportStage, JOB_INTERRUPTED, JOB_STALE_AFTER_SECS, JobStatus,
    NewJob, StoreError, contract_test, service, testing,
};

fn new_job(by: &str) -> NewJob {
    NewJob {
        kind: "calls".into(),
        file_name: "oct.csv".into(),
        file_size: 4096,
        mode: ImportMode::Strict,
        created_by: by.into(),
        created_at: at("2026-11-01T08:00:00Z"),
    }
}

contract_test!(
    a_job_goes_from_queued_through_running_to_done,
    |store| async move {
        center(&store).await;
        let id = store.create_job(&new_job("boss")).await.unwrap();
        let job = store.job(id).await.unwrap();
        assert_eq!(
            (job.status, job.stage, job.mode, job.created_by.as_str()),
            (JobStatus::Queued, None, ImportMode::Strict, "boss")
        );
        assert_eq!(job.updated_at, at("2026-11-01T08:00:00Z"));

        let p = ImportProgress {
            stage: ImportStage::Writing,
            done: 20_000,
            total: 45_000,
        };
        store
            .job_progress(id, &p, at("2026-11-01T08:00:05Z"))
            .await
            .unwrap();
        let job = store.job(id).await.unwrap();
        assert_eq!(
            (job.status, job.stage, job.done, job.total),
            (
                JobStatus::Running,
                Some(ImportStage::Writing),
                20_000,
                45_000
            )
        );
        assert_eq!(job.updated_at, at("2026-11-01T08:00:05Z"));

        let out = service::import(&store, &new_import("oct.csv"), &october(), &|_| {})
            .await
            .unwrap();
        store
            .finish_job(
                id,
                JobStatus::Done,
                Some(out.import_id),
                None,
                at("2026-11-01T08:00:09Z"),
            )
            .await
            .unwrap();
        // A late progress write (the writer lost a race) does not reopen an ended job.
        store
            .job_progress(id, &p, at("2026-11-01T08:00:10Z"))
            .await
            .unwrap();
        let job = store.job(id).await.unwrap();
        assert_eq!(
            (job.status, job.import_id),
            (JobStatus::Done, Some(out.import_id))
        );
        assert_eq!(job.updated_at, at("2026-11-01T08:00:09Z"));
        assert!(matches!(
            store.job(id + 1000).await,
            Err(StoreError::NotFound(_))
        ));
    }
);

contract_test!(
    a_running_job_that_stopped_moving_is_shown_as_interrupted,
    |store| async move {
        let id = store.create_job(&new_job("boss")).await.unwrap();
        let p = ImportProgress {
            stage: ImportStage::Parsing,
            done: 0,
            total: 4096,
        };
        let t0 = at("2026-11-01T08:00:00Z");
        store.job_progress(id, &p, t0).await.unwrap();
        let job = store.job(id).await.unwrap();
        let fresh = t0 + TimeDelta::seconds(JOB_STALE_AFTER_SECS - 1);
        let stale = t0 + TimeDelta::seconds(JOB_STALE_AFTER_SECS + 1);
        assert_eq!(job.clone().seen_at(fresh).status, JobStatus::Running);
        let dead = job.clone().seen_at(stale);
        assert_eq!(dead.status, JobStatus::Failed);
        assert_eq!(dead.error.as_deref(), Some(JOB_INTERRUPTED));
        assert_eq!(
            store.job(id).await.unwrap().status,
            JobStatus::Running,
            "seeing it does not write it"
        );

        store
            .finish_job(id, JobStatus::Failed, None, Some("the file is empty"), t0)
            .await
            .unwrap();
        let ended = store.job(id).await.unwrap().seen_at(stale);
        assert_eq!(
            ended.error.as_deref(),
            Some("the file is empty"),
            "an ended job keeps its reason"
        );
    }
);

contract_test!(a_job_cannot_end_as_queued_or_running, |store| async move {
    let id = store.create_job(&new_job("boss")).await.unwrap();
    let t = at("2026-11-01T08:00:00Z");
    for status in [JobStatus::Queued, JobStatus::Running] {
        assert!(matches!(
            store.finish_job(id, status, None, None, t).await,
            Err(StoreError::Conflict(_))
        ));
    }
    assert_eq!(
        testing::scalar_raw(
            &store,
            "SELECT COUNT(*) FROM import_jobs WHERE status = 'queued'"
        )
        .await,
        1
    );
});
