//! `/api/v1` and `/api/openapi.json`: bearer tokens, the scope matrix of every API route × every
//! role, JSON imports with idempotency keys, and the OpenAPI document.

mod actions;
mod admin;
mod config_ops;
mod fairness;
mod imports;
mod ingest_ops;
mod openapi;
mod scope;
mod tokens;
mod views;

use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;

use crate::support::{App, Resp, USERS};

/// Every role's API token (created through the store, as `jixiao token create` does), in
/// [`USERS`] order.
pub async fn tokens(app: &App) -> Vec<(&'static str, String)> {
    let mut all = Vec::new();
    for u in USERS {
        let (_, secret) = app
            .store
            .create_api_token(u, "test", "admin", chrono::Utc::now())
            .await
            .unwrap();
        all.push((u, secret));
    }
    all
}

/// A JSON API request with an optional bearer token, body and `Idempotency-Key`.
pub async fn call(
    app: &App,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    key: Option<&str>,
) -> Resp {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "jixiao.test");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    app.send(req.body(body).unwrap()).await
}

/// `GET path` with a token.
pub async fn get(app: &App, path: &str, token: Option<&str>) -> Resp {
    call(app, Method::GET, path, token, None, None).await
}

/// The body as JSON (panics with the text when it is not JSON).
pub fn json(r: &Resp) -> Value {
    serde_json::from_slice(&r.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.text()))
}

/// The stable error code of an error response.
pub fn code(r: &Resp) -> String {
    json(r)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}
