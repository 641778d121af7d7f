//! tokenwarden-cli: drives tokenwarden-core from scripts, cron and CI.
//! It never takes a secret from argv, never prints one except through `reveal`, and reports every
//! failure as one line on stderr with a documented exit code.

mod args;
mod commands;
mod failure;
mod output;
mod session;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything reads a password or a key: no core file, no ptrace by other processes.
    if let Err(problem) = tokenwarden_core::process::harden() {
        eprintln!("tokenwarden-cli: warning: {problem}");
    }
    let cli = args::Cli::parse();
    let json = cli.global.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print(json);
            ExitCode::from(failure.exit_code())
        }
    }
}
