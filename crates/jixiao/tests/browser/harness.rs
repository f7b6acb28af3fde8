//! One browser session per test: chromedriver on a free port, the app in-process on port 0 over
//! a fresh SQLite demo center, and helpers to log in, read the page and save a screenshot.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use jixiao::cmd::demo;
use jixiao_core::Period;
use jixiao_import::demo::DemoParams;
use jixiao_store::Backend;
use jixiao_store::testing::fresh_store;
use jixiao_web::{AppState, WebSettings};
use tokio::task::JoinHandle;

/// The password of every demo account.
pub const PASSWORD: &str = demo::DEMO_PASSWORD;
/// How long to wait for an element after a navigation.
const WAIT: Duration = Duration::from_secs(10);

/// The two programs the tests drive, found on `PATH`.
struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The tools, or `None` (with a notice) when they are missing outside CI. In CI a missing
/// browser is a failure: `.ci/run` installs it, so its absence means the set-up broke.
fn tools() -> Option<Tools> {
    let found = on_path("chromium").zip(on_path("chromedriver"));
    match found {
        Some((chromium, chromedriver)) => Some(Tools {
            chromium,
            chromedriver,
        }),
        None if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "chromium and chromedriver must be installed in CI (apt: chromium chromium-driver)"
            )
        }
        None => {
            eprintln!(
                "skipping browser test: chromium or chromedriver not on PATH \
                 (apt-get install chromium chromium-driver)"
            );
            None
        }
    }
}

/// A running chromedriver in its own process group, with its browser profile directory.
/// Dropping it kills the whole group (chromedriver and every Chromium it started), so a failing
/// test leaves no browser behind.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

fn start_driver(tools: &Tools, test: &str) -> (Driver, u16) {
    let port = free_port();
    let profile = std::env::temp_dir().join(format!(
        "jixiao-browser-{test}-{}-{port}",
        std::process::id()
    ));
    let child = Command::new(&tools.chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, profile };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            started.elapsed() < WAIT,
            "chromedriver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, port)
}

fn capabilities(chromium: &Path, profile: &Path) -> serde_json::Map<String, serde_json::Value> {
    // The flags scripts/screenshots.py found to work in a container: no sandbox, no GPU, and no
    // background traffic to Google, so the tests run offline.
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=1400,1000".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": chromium, "args": args },
    });
    match caps {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Demo accounts: one per role, as `load` printed them.
pub struct Logins {
    /// A supervisor of the first supervised team.
    pub supervisor: String,
    /// An agent of that team.
    pub agent: String,
}

/// A browser pointed at a freshly served demo center.
pub struct Session {
    /// The WebDriver client.
    pub client: Client,
    /// `http://127.0.0.1:PORT` of the app.
    pub base: String,
    /// The demo's role accounts.
    pub logins: Logins,
    /// What the demo center was generated from (its records can be generated again).
    pub demo: DemoParams,
    test: &'static str,
    server: JoinHandle<()>,
    _driver: Driver,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn serve_demo(months: Vec<Period>) -> (String, JoinHandle<()>, Logins, DemoParams) {
    let store = fresh_store(Backend::Sqlite).await.expect("SQLite opens");
    let params = DemoParams {
        seed: 7,
        months,
        agents: 30,
        target_calls_per_month: None,
    };
    let printed = demo::load(&store, &params, false)
        .await
        .expect("demo loads");
    let account = |role: &str| {
        let (_, line) = printed.0.iter().find(|(r, _)| *r == role).expect(role);
        line.split_whitespace()
            .next()
            .expect("username")
            .to_string()
    };
    let logins = Logins {
        supervisor: account("supervisor"),
        agent: account("agent"),
    };
    let app = jixiao_web::router(AppState {
        store,
        settings: WebSettings::default(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds port 0");
    let base = format!("http://{}", listener.local_addr().expect("bound address"));
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.expect("server runs");
    });
    (base, server, logins, params)
}

/// Starts everything for test `test`, or returns `None` when the browser is missing outside CI.
/// The demo has the last two full months: it closes the older one and leaves the newer open.
pub async fn start(test: &'static str) -> Option<Session> {
    let months = demo::demo_months(Utc::now().date_naive())[1..].to_vec();
    start_with_months(test, months).await
}

/// As [`start`], with a demo of `months` (the first closed, the others open).
pub async fn start_with_months(test: &'static str, months: Vec<Period>) -> Option<Session> {
    let tools = tools()?;
    let (driver, port) = start_driver(&tools, test);
    let (base, server, logins, demo) = serve_demo(months).await;
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities(&tools.chromium, &driver.profile))
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("chromedriver starts a Chromium session");
    Some(Session {
        client,
        base,
        logins,
        demo,
        test,
        server,
        _driver: driver,
    })
}

impl Session {
    /// Opens `path` of the app.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client.goto(&url).await.expect("page opens");
    }

    /// Signs in through the login form as `user` and waits for the landing page's heading.
    pub async fn login(&self, user: &str) {
        // A fresh start for each account; failing on the first blank page is harmless.
        let _ = self.client.delete_all_cookies().await;
        self.goto("/login").await;
        let field = |name: &'static str| self.client.find(Locator::Css(name));
        field("input[name=username]")
            .await
            .expect("username field")
            .send_keys(user)
            .await
            .expect("typed");
        field("input[name=password]")
            .await
            .expect("password field")
            .send_keys(PASSWORD)
            .await
            .expect("typed");
        field("form.login button[type=submit]")
            .await
            .expect("submit button")
            .click()
            .await
            .expect("submitted");
        self.wait_for("header.topbar .who").await;
    }

    /// Waits until `css` matches, then returns the element's visible text.
    pub async fn wait_for(&self, css: &str) -> String {
        let found = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await;
        let element = match found {
            Ok(e) => e,
            Err(e) => {
                self.screenshot("failed").await;
                panic!("{css} did not appear on {}: {e}", self.path().await)
            }
        };
        element.text().await.expect("element text")
    }

    /// The path (and query) of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        url.as_str().trim_start_matches(&self.base).to_string()
    }

    /// Saves the page as `target/browser-screenshots/<test>[-<label>].png` for a person to see.
    pub async fn screenshot(&self, label: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let name = if label.is_empty() {
            format!("{}.png", self.test)
        } else {
            format!("{}-{label}.png", self.test)
        };
        let png = self.client.screenshot().await.expect("screenshot taken");
        std::fs::write(dir.join(name), png).expect("screenshot saved");
    }

    /// Ends the browser session cleanly (the driver guard kills whatever is left).
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
    }
}
