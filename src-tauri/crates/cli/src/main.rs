//! tokenwarden-cli: drives tokenwarden-core from scripts, cron and CI.
//! It never takes a secret from argv, never prints one except through `reveal`, and reports every
//! failure as one line on stderr with a documented exit code.

mod args;
mod commands;
mod failure;
mod output;
mod vault_access;

use clap::error::ErrorKind;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Once, before any thread starts: run again with an allocator that wipes freed memory (returns
    // only when that is done already, or failed; then SQLCipher's memory security stays on).
    if let Err(problem) = tokenwarden_core::wiping_allocator::reexec_with_wiping_allocators(
        tokenwarden_core::wiping_allocator::Lifetime::OneCommand,
    ) {
        eprintln!("tokenwarden-cli: warning: {problem}");
    }
    // Before anything reads a password or a key: no core file, no ptrace by other processes.
    if let Err(problem) = tokenwarden_core::process::harden() {
        eprintln!("tokenwarden-cli: warning: {problem}");
    }
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let json = cli.global.json;
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print(json);
            ExitCode::from(failure.exit_code())
        }
    }
}

/// A command line clap could not parse. `--help` and `--version` print as usual (exit 0); a usage
/// error is exit 2, and with `--json` anywhere in argv it is `{"code":"usage","message":...}` on
/// stderr like every other failure, so a script asking for JSON always gets JSON.
fn usage_error(err: clap::Error) -> ExitCode {
    let wants_json = std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--json");
    if !wants_json || matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        err.exit();
    }
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        failure::Failure::usage("a command is needed; see `tokenwarden-cli --help`").print(true);
        return ExitCode::from(2);
    }
    let rendered = err.render().to_string();
    let message = rendered
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("the command line could not be read")
        .trim_start_matches("error: ");
    failure::Failure::usage(message).print(true);
    ExitCode::from(2)
}
