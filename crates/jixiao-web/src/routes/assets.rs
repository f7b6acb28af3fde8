//! The embedded stylesheet and first-party scripts.

use axum::http::header;
use axum::response::IntoResponse;

/// `GET /static/app.css`.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

/// `GET /static/kdef.js`: live validation for the KPI formula editor.
pub async fn kdef_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/kdef.js"),
    )
}
