//! `jixiao serve`: the web application on the configured address.

use anyhow::Context;
use jixiao_web::{AppState, WebSettings};

use crate::settings::{Settings, redact};

/// Serves until Ctrl-C.
pub async fn run(s: &Settings) -> anyhow::Result<()> {
    let store = super::open_store(s).await?;
    serve_store(s, store, None).await
}

/// Serves an already opened store; `banner` is printed once the port is bound.
pub async fn serve_store(
    s: &Settings,
    store: jixiao_store::Store,
    banner: Option<String>,
) -> anyhow::Result<()> {
    let state = AppState {
        store,
        settings: WebSettings {
            secure_cookies: s.secure_cookies,
            session_hours: s.session_hours,
            default_locale: s.default_locale.clone(),
            public_url: s.public_url.clone(),
        },
    };
    let addr = format!("{}:{}", s.bind, s.port);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("binding {addr} (is another Jixiao running? try --port)"))?;
    tracing::info!(database = %redact(&s.database), "serving on http://{addr}");
    if let Some(b) = banner {
        println!("{b}");
    }
    println!("Jixiao is serving at http://{addr}  (Ctrl-C to stop)");
    axum::serve(listener, jixiao_web::router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
}
