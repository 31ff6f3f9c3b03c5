//! `taizhang serve`: the web workspace.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use taizhang_app::ingest::FileOutcome;

use crate::library::{open, runtime};

/// Arguments of `taizhang serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Use 0.0.0.0:8080 to serve the whole intranet.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Load the fictional 示例市 2025 work report first, so there is something to see.
    #[arg(long)]
    demo: bool,
    /// The largest file an upload may contain, in MiB.
    #[arg(long, default_value_t = 32, value_name = "MIB")]
    max_upload_mb: u64,
}

/// Runs `taizhang serve` until Ctrl-C.
pub fn run(db: &str, args: &ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,taizhang_web=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    runtime()?.block_on(async {
        let app = open(db).await?;
        if args.demo {
            match taizhang_web::load_demo(&app).await.context("loading the demo document")? {
                FileOutcome::New { id, facts } | FileOutcome::Reextracted { id, facts } => {
                    eprintln!("已载入示例文件（编号 {id}，{facts} 条指标）")
                }
                FileOutcome::Unchanged { id } => eprintln!("示例文件已在库中（编号 {id}）"),
                FileOutcome::Skipped | FileOutcome::Failed(_) => {
                    anyhow::bail!("the demo document could not be stored")
                }
            }
        }
        if !app.has_users().await? {
            if args.demo {
                let password = taizhang_app::auth::generate_password();
                let admin = taizhang_app::auth::NewUserRequest {
                    username: "admin".into(),
                    display_name: "示例管理员".into(),
                    role: taizhang_app::auth::Role::Admin,
                    unit: String::new(),
                    password: password.clone(),
                };
                app.add_user(&taizhang_app::auth::Actor::command_line(), &admin).await?;
                eprintln!(
                    "已创建示例管理员：用户名 admin，密码 {password}（请登录后在“我的账户”修改）"
                );
            } else {
                eprintln!(
                    "还没有用户：先运行 `taizhang user add 用户名 --role admin` 创建管理员，再登录"
                );
            }
        }
        let limits = taizhang_web::Limits {
            max_file_bytes: args.max_upload_mb << 20,
            // Room for a few files of the largest size in one upload.
            max_request_bytes: usize::try_from((args.max_upload_mb << 20) * 4)
                .unwrap_or(usize::MAX),
            ..taizhang_web::Limits::default()
        };
        let router = taizhang_web::router(Arc::new(app), limits);
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let addr = listener.local_addr().context("the bound address")?;
        println!("taizhang 已启动：http://{addr}/   数据库：{db}   （Ctrl-C 停止）");
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")?;
        Ok(ExitCode::SUCCESS)
    })
}
