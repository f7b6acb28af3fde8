//! `jixiao alias` and `jixiao unmatched`: the names source systems give employees, and the
//! records held because their agent's name is not known yet (docs/IMPORT.md, "Identity").

use anyhow::Context;
use chrono::Utc;
use clap::{Args, Subcommand};
use jixiao_core::org::AgentRef;
use jixiao_store::{PageReq, Store, service};

use crate::settings::{Layer, Settings};

/// Rows fetched per page when listing everything.
const PAGE_ROWS: u32 = 500;

/// Arguments of `jixiao alias`.
#[derive(Debug, Args)]
pub struct AliasArgs {
    #[command(subcommand)]
    action: Action,
    #[command(flatten)]
    settings: Layer,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Map a source system's name for an agent to an employee, and release the records held
    /// under that name into their (open) periods.
    Add {
        /// The source system, as the records name it (`pbx`, `servicenow` …).
        #[arg(long)]
        source: String,
        /// The agent's name in that system (login, extension, display name, resolver id).
        #[arg(long)]
        alias: String,
        /// The employee number it means.
        #[arg(long)]
        employee: String,
    },
    /// List aliases, all or one employee's.
    List {
        /// Only this employee number's aliases.
        #[arg(long)]
        employee: Option<String>,
    },
    /// Remove an alias; records it already resolved keep their employee.
    Remove {
        /// The source system.
        #[arg(long)]
        source: String,
        /// The name there.
        #[arg(long)]
        alias: String,
    },
}

/// Arguments of `jixiao unmatched`.
#[derive(Debug, Args)]
pub struct UnmatchedArgs {
    #[command(flatten)]
    settings: Layer,
}

/// Runs `jixiao alias`.
pub async fn run(file: Option<&std::path::Path>, args: AliasArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    let actor = super::cli_actor();
    match args.action {
        Action::Add {
            source,
            alias,
            employee,
        } => {
            let alias = AgentRef::parse(&alias)?;
            let employee = store
                .employee_by_no(employee.trim())
                .await
                .with_context(|| format!("no employee numbered {employee:?}"))?;
            let done = service::map_alias(&store, &source, &alias, employee.id, &actor, Utc::now())
                .await?;
            println!(
                "{}/{} -> {}: {} held records released, {} still held",
                done.alias.source,
                done.alias.alias,
                done.alias.employee_no,
                done.released,
                done.still_held.len()
            );
            for h in &done.still_held {
                println!(
                    "  still held: {} {}/{} dated {} (period {} is closed)",
                    h.kind, h.source, h.record_id, h.date, h.period
                );
            }
            for p in &done.periods_recomputed {
                println!("  recomputed {p}");
            }
        }
        Action::List { employee } => list(&store, employee.as_deref()).await?,
        Action::Remove { source, alias } => {
            let found = store.alias(&source, &alias).await?;
            let gone = service::remove_alias(&store, found.id, &actor, Utc::now()).await?;
            println!(
                "removed {}/{} ({})",
                gone.source, gone.alias, gone.employee_no
            );
        }
    }
    Ok(())
}

async fn list(store: &Store, employee: Option<&str>) -> anyhow::Result<()> {
    let aliases = match employee {
        Some(no) => {
            store
                .aliases_of(store.employee_by_no(no.trim()).await?.id)
                .await?
        }
        None => {
            let mut all = Vec::new();
            for page in 1.. {
                let req = PageReq {
                    page,
                    per_page: PAGE_ROWS,
                };
                let got = store.aliases(req).await?;
                let done = got.items.len() < PAGE_ROWS as usize;
                all.extend(got.items);
                if done {
                    break;
                }
            }
            all
        }
    };
    for a in &aliases {
        println!("{}\t{}\t{}", a.source, a.alias, a.employee_no);
    }
    println!("({} aliases)", aliases.len());
    Ok(())
}

/// Runs `jixiao unmatched`: the unknown names, most held records first.
pub async fn unmatched(file: Option<&std::path::Path>, args: UnmatchedArgs) -> anyhow::Result<()> {
    let s = Settings::load(file, &args.settings, Settings::default())?;
    let store = super::open_store(&s).await?;
    let mut shown = 0;
    for page in 1.. {
        let got = store
            .unmatched(PageReq {
                page,
                per_page: PAGE_ROWS,
            })
            .await?;
        for u in &got.items {
            let mapped = u
                .mapped_to
                .as_deref()
                .map(|no| format!("  (mapped to {no}; period closed)"))
                .unwrap_or_default();
            println!(
                "{}\t{}\t{} records\t{}..{}\t{}{mapped}",
                u.source,
                u.alias,
                u.count,
                u.first,
                u.last,
                u.kinds.join(",")
            );
        }
        shown += got.items.len();
        if got.items.len() < PAGE_ROWS as usize {
            break;
        }
    }
    if shown == 0 {
        println!("no records are held for unknown agents");
    } else {
        println!("map one with: jixiao alias add --source S --alias A --employee NO");
    }
    Ok(())
}
