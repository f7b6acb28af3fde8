//! A small fixture center and an HTTP client driving the router in process (`oneshot`).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use jixiao_core::Period;
use jixiao_core::org::{EmployeeNo, Membership, Role, TypeCode};
use jixiao_import::canonical;
use jixiao_store::{BusinessType, NewEmployee, NewImport, NewUser, RecordBatch, Store, service};
use jixiao_web::{AppState, WebSettings, hash_password_cheap, router};
use rust_decimal::Decimal;
use tower::ServiceExt;

mod data;

pub use data::{CALLS_CSV, QA_CSV, SURVEYS_CSV, many_calls_csv, scheme};

/// The fixture's period.
pub const PERIOD: &str = "2026-10";
/// Every user's password is `pw-` + their username.
pub const USERS: [&str; 5] = ["admin", "manager", "sup", "qa", "agent"];

/// Ids of the fixture's teams.
#[derive(Debug, Clone, Copy)]
pub struct Teams {
    /// CALL-01, led by `sup`; agents A001 (user `agent`) and A002.
    pub call1: i64,
    /// CALL-02, no supervisor; agent A003.
    pub call2: i64,
    /// SALES-01; agent A004.
    pub sales: i64,
}

/// The app under test.
pub struct App {
    /// The router.
    pub router: Router,
    /// The store behind it.
    pub store: Store,
    /// Team ids.
    pub teams: Teams,
}

/// A response, body read.
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The Location header.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// A signed-in browser: its cookies and the CSRF token of its session.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    /// The Cookie header to send.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// The period as a domain value.
pub fn period() -> Period {
    PERIOD.parse().unwrap()
}

async fn import(store: &Store, kind: &str, csv: &str) {
    let bytes = csv.as_bytes();
    let mut batch = RecordBatch::default();
    let rows_total = match kind {
        "calls" => {
            let p = canonical::parse_calls(bytes).unwrap();
            batch.calls = p.records;
            batch.rejects = p.rejects;
            p.rows_total
        }
        "surveys" => {
            let p = canonical::parse_surveys(bytes).unwrap();
            batch.surveys = p.records;
            batch.rejects = p.rejects;
            p.rows_total
        }
        _ => {
            let p = canonical::parse_qa(bytes).unwrap();
            batch.qa = p.records;
            batch.rejects = p.rejects;
            p.rows_total
        }
    };
    assert!(
        batch.rejects.is_empty(),
        "fixture {kind} rejects: {:?}",
        batch.rejects
    );
    let import = NewImport {
        kind: kind.into(),
        file_name: format!("{kind}.csv"),
        file_hash: canonical::file_hash(bytes),
        file_size: bytes.len() as i64,
        rows_total,
        imported_by: "fixture".into(),
        imported_at: chrono::Utc::now(),
        mode: jixiao_store::ImportMode::Lenient,
        profile: None,
    };
    service::import(store, &import, &batch, &|_| {})
        .await
        .unwrap();
}

/// Builds the fixture center in `store` and returns the app over it.
pub async fn app(store: Store) -> App {
    let call = store.upsert_department("CALL", "话务部").await.unwrap();
    let sales = store.upsert_department("SALES", "营销部").await.unwrap();
    let d = |s: &str| s.parse().unwrap();
    let emp = |no: &str, name: &str, position: &str| NewEmployee {
        employee_no: EmployeeNo::parse(no).unwrap(),
        name: name.into(),
        position: position.into(),
        hire_date: d("2025-01-01"),
    };
    let ids = store
        .insert_employees(&[
            emp("S001", "Sun Supervisor", "supervisor"),
            emp("A001", "Ann Agent", "agent"),
            emp("A002", "Bo Agent", "agent"),
            emp("A003", "Cy Agent", "agent"),
            emp("A004", "Di Agent", "agent"),
        ])
        .await
        .unwrap();
    let call1 = store
        .upsert_team(call, "CALL-01", "话务一组", Some(ids[0]))
        .await
        .unwrap();
    let call2 = store
        .upsert_team(call, "CALL-02", "话务二组", None)
        .await
        .unwrap();
    let sales1 = store
        .upsert_team(sales, "SALES-01", "营销一组", None)
        .await
        .unwrap();
    for (emp, team) in [(1, call1), (2, call1), (3, call2), (4, sales1)] {
        store
            .add_membership(&Membership {
                employee_id: ids[emp],
                team_id: team,
                valid_from: d("2026-01-01"),
                valid_to: None,
            })
            .await
            .unwrap();
    }
    for (code, coef) in [("INQ", Decimal::ONE), ("CMP", Decimal::from(3))] {
        store
            .upsert_business_type(&BusinessType {
                code: TypeCode::parse(code).unwrap(),
                name: code.into(),
                coefficient: coef,
            })
            .await
            .unwrap();
    }
    for dept in [call, sales] {
        store
            .set_department_rules(dept, &scheme(), Decimal::new(5, 1))
            .await
            .unwrap();
    }
    let users = [
        ("admin", Role::Admin, None),
        ("manager", Role::Manager, None),
        ("sup", Role::Supervisor, Some(ids[0])),
        ("qa", Role::Qa, None),
        ("agent", Role::Agent, Some(ids[1])),
    ];
    for (name, role, employee_id) in users {
        store
            .create_user(&NewUser {
                username: name.into(),
                password_hash: hash_password_cheap(&format!("pw-{name}")),
                role,
                employee_id,
                locale: "zh-CN".into(),
            })
            .await
            .unwrap();
    }
    import(&store, "calls", CALLS_CSV).await;
    import(&store, "calls", &many_calls_csv()).await;
    import(&store, "surveys", SURVEYS_CSV).await;
    import(&store, "qa", QA_CSV).await;
    service::recompute(&store, period()).await.unwrap();
    let state = AppState {
        store: store.clone(),
        settings: WebSettings::default(),
    };
    App {
        router: router(state),
        store,
        teams: Teams {
            call1,
            call2,
            sales: sales1,
        },
    }
}

fn csrf_from(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl App {
    /// Sends a request.
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Resp {
            status,
            headers,
            bytes,
        }
    }

    /// `GET path` as `who` (None = anonymous).
    pub async fn get(&self, path: &str, who: Option<&Browser>) -> Resp {
        let mut req = Request::get(path).header(header::HOST, "jixiao.test");
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// `POST path` with a urlencoded body, same-origin headers as a browser sends them.
    pub async fn post(&self, path: &str, who: Option<&Browser>, body: &str) -> Resp {
        let mut req = Request::post(path)
            .header(header::HOST, "jixiao.test")
            .header(header::ORIGIN, "http://jixiao.test")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// `POST path` with the session's CSRF token.
    pub async fn post_csrf(&self, path: &str, who: &Browser) -> Resp {
        self.post(path, Some(who), &format!("csrf={}", enc(&who.csrf)))
            .await
    }

    /// Uploads a file through the import form and, when it is accepted (303 to its job page),
    /// follows the job until it ends and returns the job page; otherwise the upload's response.
    pub async fn upload(&self, who: Option<&Browser>, kind: &str, name: &str, csv: &str) -> Resp {
        self.upload_mode(who, kind, name, csv, None).await
    }

    /// [`App::upload`] with the form's mode field (`strict`, `lenient`; `None` leaves it out).
    pub async fn upload_mode(
        &self,
        who: Option<&Browser>,
        kind: &str,
        name: &str,
        csv: &str,
        mode: Option<&str>,
    ) -> Resp {
        let res = self.upload_raw(who, kind, name, csv, mode).await;
        match (who, res.location().strip_prefix("/imports/jobs/")) {
            (Some(b), Some(_)) if res.status == StatusCode::SEE_OTHER => {
                let job = res.location().to_string();
                self.wait_for_job(&job, b).await
            }
            _ => res,
        }
    }

    /// Polls a job page until the job has ended (10 s at most); returns the last page.
    pub async fn wait_for_job(&self, path: &str, who: &Browser) -> Resp {
        for _ in 0..500 {
            let page = self.get(path, Some(who)).await;
            let text = page.text();
            let running = ["queued", "running"]
                .iter()
                .any(|s| text.contains(&format!("data-status=\"{s}\"")));
            if page.status != StatusCode::OK || !running {
                return page;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("job {path} did not end within 10 s");
    }

    /// Posts the import form and returns its response as is (no redirect followed).
    pub async fn upload_raw(
        &self,
        who: Option<&Browser>,
        kind: &str,
        name: &str,
        csv: &str,
        mode: Option<&str>,
    ) -> Resp {
        let boundary = "XjixiaoBoundaryX";
        let csrf = who.map(|b| b.csrf.clone()).unwrap_or_default();
        let mode = mode.map_or(String::new(), |m| {
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n{m}\r\n")
        });
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n{mode}\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        );
        let mut req = Request::post("/imports")
            .header(header::HOST, "jixiao.test")
            .header(header::ORIGIN, "http://jixiao.test")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Signs in through the form and reads the CSRF token off the home page.
    pub async fn login(&self, user: &str) -> Browser {
        self.login_with(user, &format!("pw-{user}"), "en").await
    }

    /// Signs in with a given password and language cookie.
    pub async fn login_with(&self, user: &str, pw: &str, lang: &str) -> Browser {
        let res = self
            .post(
                "/login",
                None,
                &format!("username={}&password={}", enc(user), enc(pw)),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login {user}: {}",
            res.text()
        );
        let session = res
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("jixiao_session="))
            .expect("a session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut b = Browser {
            cookie: format!("{session}; lang={lang}"),
            csrf: String::new(),
        };
        let home = self.get("/", Some(&b)).await;
        let page = self.get(home.location(), Some(&b)).await;
        b.csrf = csrf_from(&page.text()).expect("a page with the logout form");
        b
    }
}
