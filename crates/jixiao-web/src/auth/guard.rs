//! Role guards: the permission is part of the extractor's type.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jixiao_core::org::Role;

use super::CurrentUser;
use crate::{AppState, WebError};

/// Which roles may use a route.
pub trait Policy {
    /// Whether `role` passes.
    fn allows(role: Role) -> bool;
}

/// Admins and managers: imports, closing periods, the whole center's export.
#[derive(Debug)]
pub struct Managers;

impl Policy for Managers {
    fn allows(role: Role) -> bool {
        matches!(role, Role::Admin | Role::Manager)
    }
}

/// Admins only: users, API tokens.
#[derive(Debug)]
pub struct Admins;

impl Policy for Admins {
    fn allows(role: Role) -> bool {
        matches!(role, Role::Admin)
    }
}

/// Admins, managers and supervisors: the period list and (scoped) exports.
#[derive(Debug)]
pub struct PeriodViewers;

impl Policy for PeriodViewers {
    fn allows(role: Role) -> bool {
        matches!(role, Role::Admin | Role::Manager | Role::Supervisor)
    }
}

/// A signed-in user whose role passes `P`; otherwise 403.
#[derive(Debug)]
pub struct Authorized<P> {
    /// The user.
    pub user: CurrentUser,
    _policy: PhantomData<P>,
}

impl<P: Policy + Send + Sync> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if P::allows(user.user.role) {
            Ok(Authorized {
                user,
                _policy: PhantomData,
            })
        } else {
            Err(WebError::Forbidden)
        }
    }
}
