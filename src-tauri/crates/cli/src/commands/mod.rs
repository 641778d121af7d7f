//! One function per subcommand; each parses its options, calls the core, and prints.

mod audit;
mod keyring;
mod log;
mod monitor;
mod providers;
mod remind;
mod rotate;
mod scan;
mod tokens;
mod transfer;
mod usage;
mod vault;

use chrono::Utc;
use tokenwarden_core::KdfParams;

use crate::args::{Cli, Command, KdfArgs};
use crate::failure::{CliResult, Failure};

pub fn run(cli: Cli) -> CliResult {
    let global = cli.global;
    let now = Utc::now();
    match cli.command {
        Command::Init(args) => vault::init(&global, args, now),
        Command::Info => vault::info(&global),
        Command::Check => vault::check(&global),
        Command::Passwd(args) => vault::passwd(&global, args, now),
        Command::Add(args) => tokens::add(&global, args, now),
        Command::List(args) => tokens::list(&global, args, now),
        Command::Show(args) => tokens::show(&global, args, now),
        Command::Edit(args) => tokens::edit(&global, args, now),
        Command::Rm(args) => tokens::rm(&global, args, now),
        Command::Reveal(args) => tokens::reveal(&global, args, now),
        Command::Copy(args) => tokens::copy(&global, args, now),
        Command::Keyring(command) => keyring::run(&global, command, now),
        Command::Usage(command) => usage::run(&global, command, now),
        Command::Log(args) => log::run(&global, args),
        Command::Import(args) => transfer::import(&global, args, now),
        Command::Export(args) => transfer::export(&global, args, now),
        Command::Remind(args) => remind::run(&global, args, now),
        Command::Detect(args) => providers::detect(&global, args),
        Command::Verify(args) => providers::verify(&global, args, now),
        Command::Provider(command) => providers::provider(&global, command, now),
        Command::Rotate(args) => rotate::rotate(&global, args, now),
        Command::Revoke(args) => rotate::revoke(&global, args, now),
        Command::Scan(args) => scan::run(&global, args, now),
        Command::Audit(args) => audit::run(&global, args, now),
        Command::Monitor(args) => monitor::run(&global, args, now),
    }
}

/// Explicit Argon2id parameters, if any were given; unnamed ones default to the floor.
fn explicit_kdf(args: &KdfArgs) -> CliResult<Option<KdfParams>> {
    if args.kdf_memory_mib.is_none() && args.kdf_iterations.is_none() && args.kdf_parallelism.is_none() {
        return Ok(None);
    }
    let floor = tokenwarden_core::crypto::KDF_FLOOR;
    let memory_mib = args.kdf_memory_mib.unwrap_or(floor.memory_kib / 1024);
    let params = KdfParams {
        memory_kib: memory_mib.checked_mul(1024).ok_or_else(|| Failure::invalid("--kdf-memory-mib is too large"))?,
        iterations: args.kdf_iterations.unwrap_or(floor.iterations),
        parallelism: args.kdf_parallelism.unwrap_or(floor.parallelism),
    };
    params.validate()?;
    if params.is_below_floor() {
        eprintln!(
            "tokenwarden-cli: warning: {params} is below the recommended minimum ({floor}); a stolen vault.keys is cheaper to attack"
        );
    }
    Ok(Some(params))
}
