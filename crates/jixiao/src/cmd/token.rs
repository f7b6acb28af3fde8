//! `jixiao token`: create, list and revoke the API tokens integrations use (see docs/API.md).

use chrono::{SecondsFormat, Utc};
use clap::{Args, Subcommand};

use crate::settings::{Layer, Settings};

/// Arguments of `jixiao token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    action: Action,
    #[command(flatten)]
    settings: Layer,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Create a token acting as a user (with that user's role scope); prints the secret once.
    Create {
        /// The username the token acts as.
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. `pbx-nightly`.
        #[arg(long)]
        name: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops authenticating at once.
    Revoke {
        /// The token's id, as listed.
        id: i64,
    },
}

/// Runs the subcommand.
pub async fn run(file: Option<&std::path::Path>, args: TokenArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    match args.action {
        Action::Create { user, name } => {
            let name = name.trim();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= 100,
                "the token name must be 1 to 100 characters"
            );
            let (token, secret) = store
                .create_api_token(user.trim(), name, &super::cli_actor(), Utc::now())
                .await?;
            eprintln!(
                "token {} \"{}\" created for {}; the secret below is shown only once:",
                token.id, token.name, token.username
            );
            println!("{secret}");
        }
        Action::List => {
            let stamp = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
            for t in store.api_tokens().await? {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {}", stamp(at)),
                    None => "active".to_string(),
                };
                println!(
                    "{:>5}  {:<20}  {:<16}  {:<28}  last used {}  by {}",
                    t.id,
                    t.name,
                    t.username,
                    state,
                    t.last_used_at.map_or_else(|| "never".to_string(), stamp),
                    t.created_by
                );
            }
        }
        Action::Revoke { id } => {
            store
                .revoke_api_token(id, &super::cli_actor(), Utc::now())
                .await?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}
