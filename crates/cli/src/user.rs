//! `taizhang user`: the web workspace's users, from the command line. The first
//! administrator can only be made here; whoever runs this can open the database anyway,
//! and acts as `命令行` in the audit log.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use taizhang_app::auth::{Actor, NewUserRequest, Role, UserChange};

use crate::library::{open_shared, runtime};

/// What `taizhang user` does.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; asks for the password.
    Add(AddArgs),
    /// Set a user's password; asks for it. Ends the user's sessions.
    Passwd(NameArgs),
    /// Change a user's role, unit or name, or disable or enable them.
    Set(SetArgs),
    /// List the users.
    List,
}

/// Arguments of `taizhang user add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The login name.
    name: String,
    /// admin, planner, reporter or viewer.
    #[arg(long, value_parser = role)]
    role: Role,
    /// The unit a reporter reports for: a task's 责任单位, as the ledger writes it.
    #[arg(long, default_value = "")]
    unit: String,
    /// The name shown (张三); the login name when absent.
    #[arg(long, default_value = "")]
    display: String,
}

/// A user's login name.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The login name.
    name: String,
}

/// Arguments of `taizhang user set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The login name.
    name: String,
    /// A new role: admin, planner, reporter or viewer.
    #[arg(long, value_parser = role)]
    role: Option<Role>,
    /// A new unit.
    #[arg(long)]
    unit: Option<String>,
    /// A new display name.
    #[arg(long)]
    display: Option<String>,
    /// Disable the user: they cannot log in, and their sessions end.
    #[arg(long, conflicts_with = "enable")]
    disable: bool,
    /// Enable a disabled user.
    #[arg(long)]
    enable: bool,
}

fn role(name: &str) -> Result<Role, String> {
    Role::parse(name)
        .ok_or_else(|| format!("unknown role {name:?}: admin, planner, reporter or viewer"))
}

/// Runs `taizhang user …`.
pub fn run(db: &str, command: &UserCommand) -> Result<ExitCode> {
    // Reads and the odd write: beside a running server is fine.
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let me = Actor::command_line();
        match command {
            UserCommand::Add(a) => {
                let password = password(&format!("{} 的密码", a.name))?;
                let request = NewUserRequest {
                    username: a.name.clone(),
                    display_name: a.display.clone(),
                    role: a.role,
                    unit: a.unit.clone(),
                    password,
                };
                let id = app.add_user(&me, &request).await?;
                eprintln!("已新增用户 {}（编号 {id}，{}）", a.name, a.role.label());
            }
            UserCommand::Passwd(n) => {
                let password = password(&format!("{} 的新密码", n.name))?;
                let change = UserChange { password: Some(password), ..UserChange::default() };
                app.update_user(&me, &n.name, &change).await?;
                eprintln!("已修改 {} 的密码；其已登录的会话均已结束", n.name);
            }
            UserCommand::Set(s) => {
                let change = UserChange {
                    display_name: s.display.clone(),
                    role: s.role,
                    unit: s.unit.clone(),
                    password: None,
                    disabled: if s.disable {
                        Some(true)
                    } else if s.enable {
                        Some(false)
                    } else {
                        None
                    },
                };
                if change == UserChange::default() {
                    bail!(
                        "nothing to change: give --role, --unit, --display, --disable or --enable"
                    );
                }
                app.update_user(&me, &s.name, &change).await?;
                eprintln!("已修改用户 {}", s.name);
            }
            UserCommand::List => {
                println!("用户名\t姓名\t角色\t单位\t状态");
                for u in app.users(&me).await? {
                    let state = if u.disabled { "已停用" } else { "正常" };
                    println!("{}\t{}\t{}\t{}\t{state}", u.username, u.display_name, u.role, u.unit);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A password: asked for twice without echo on a terminal, else one line of standard input.
fn password(prompt: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        let first =
            rpassword::prompt_password(format!("{prompt}：")).context("reading the password")?;
        let again = rpassword::prompt_password("再输一次：").context("reading the password")?;
        if first != again {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            bail!("no password on standard input");
        }
        Ok(password)
    }
}
