//! Getting at the vault: where it is, the password (file, stdin or a no-echo prompt), and
//! unlocking — with the OS keyring first when a keyring slot exists, falling back to the password.

use secrecy::SecretString;
use std::io::{BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokenwarden_core::keystore::OsKeyring;
use tokenwarden_core::provider_api::{display_name, LiveApi};
use tokenwarden_core::vault::{self, VaultStatus};
use tokenwarden_core::{Error, UnlockTimings, Vault};

use crate::args::Global;
use crate::failure::{CliResult, Failure};

pub fn vault_dir(global: &Global) -> PathBuf {
    global.vault.clone().unwrap_or_else(vault::default_dir)
}

pub fn keyring() -> OsKeyring {
    OsKeyring::new().with_timeout(Duration::from_secs(5))
}

fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// Reads the first line of a file (or stdin for `-`), without its line ending.
pub fn read_first_line(path: &Path, what: &str) -> CliResult<SecretString> {
    let mut line = String::new();
    if is_stdin(path) {
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::general(format!("reading the {what} from stdin: {e}")))?;
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::invalid(format!("{}: cannot read the {what}: {e}", path.display())))?;
        std::io::BufReader::new(file)
            .read_line(&mut line)
            .map_err(|e| Failure::invalid(format!("{}: cannot read the {what}: {e}", path.display())))?;
    }
    // Trim in place and move the buffer into the SecretString: no unwiped copy is left behind.
    line.truncate(line.trim_end_matches(['\n', '\r']).len());
    Ok(SecretString::from(line))
}

/// Reads a whole secret (a token may span lines, like a key file), trimming one final newline.
pub fn read_secret_file(path: &Path) -> CliResult<SecretString> {
    let mut raw = String::new();
    if is_stdin(path) {
        std::io::stdin()
            .lock()
            .read_to_string(&mut raw)
            .map_err(|e| Failure::general(format!("reading the secret from stdin: {e}")))?;
    } else {
        let mut file = std::fs::File::open(path)
            .map_err(|e| Failure::invalid(format!("{}: cannot read the secret: {e}", path.display())))?;
        file.read_to_string(&mut raw)
            .map_err(|_| Failure::invalid(format!("{}: the secret is not UTF-8 text", path.display())))?;
    }
    // Drop one final line ending in place, then move the buffer: no unwiped copy is left behind.
    if raw.ends_with('\n') {
        raw.pop();
        if raw.ends_with('\r') {
            raw.pop();
        }
    }
    Ok(SecretString::from(raw))
}

pub fn prompt_hidden(prompt: &str) -> CliResult<SecretString> {
    rpassword::prompt_password(prompt)
        .map(SecretString::from)
        .map_err(|e| Failure::general(format!("cannot read from the terminal: {e}")))
}

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// The current vault password, from --password-file or a prompt.
pub fn password(global: &Global) -> CliResult<SecretString> {
    match &global.password_file {
        Some(path) => read_first_line(path, "password"),
        None if stdin_is_terminal() => prompt_hidden("Vault password: "),
        None => Err(Failure::locked(
            "the vault is locked and no password was given: pass --password-file PATH (or - for stdin), or run in a terminal",
        )),
    }
}

/// A new password, from a file or asked twice.
pub fn new_password(file: Option<&Path>) -> CliResult<SecretString> {
    use secrecy::ExposeSecret;
    if let Some(path) = file {
        return read_first_line(path, "new password");
    }
    if !stdin_is_terminal() {
        return Err(Failure::usage("no terminal to ask for the new password: pass a password file"));
    }
    let first = prompt_hidden("New vault password: ")?;
    let second = prompt_hidden("Repeat it: ")?;
    if first.expose_secret() != second.expose_secret() {
        return Err(Failure::invalid("the two passwords differ; nothing was changed"));
    }
    Ok(first)
}

/// Unlocks the vault: keyring first (unless --no-keyring), then the password.
pub fn unlock(global: &Global) -> CliResult<Vault> {
    let dir = vault_dir(global);
    let status = VaultStatus::probe(&dir)?;
    if !status.exists {
        return Err(Error::NoVault { path: dir }.into());
    }
    if status.keyring_slot && !global.no_keyring {
        match Vault::unlock_with_keyring(&dir, &keyring()) {
            Ok(vault) => return Ok(vault),
            Err(err @ (Error::KeyringUnavailable { .. } | Error::KeyringEmpty)) => {
                crate::note!("tokenwarden-cli: note: {err}; using the password instead");
            }
            Err(err) => return Err(err.into()),
        }
    }
    let password = password(global)?;
    let (vault, timings) = Vault::unlock_with_password(&dir, &password)?;
    report_kdf_time(&timings);
    Ok(vault)
}

/// With `TOKENWARDEN_REPORT_KDF=1`, one line on stderr saying what this run's key derivation cost,
/// `tokenwarden-cli: kdf: cpu_us=N wall_us=N`: the keepassxc comparison subtracts it run by run,
/// since the calibrated Argon2id's own spread is as large as what a `list` costs after it.
fn report_kdf_time(timings: &UnlockTimings) {
    if std::env::var_os("TOKENWARDEN_REPORT_KDF").is_some_and(|v| v == "1") {
        eprintln!("tokenwarden-cli: kdf: cpu_us={} wall_us={}", timings.kdf_cpu.as_micros(), timings.kdf.as_micros());
    }
}

/// Unlocks with the password only (changing the password or the keyring slot needs it).
pub fn unlock_with_password(global: &Global, dir: &Path) -> CliResult<Vault> {
    let status = VaultStatus::probe(dir)?;
    if !status.exists {
        return Err(Error::NoVault { path: dir.to_owned() }.into());
    }
    let password = password(global)?;
    let (vault, timings) = Vault::unlock_with_password(dir, &password)?;
    report_kdf_time(&timings);
    Ok(vault)
}

/// The providers' APIs as the vault's settings direct, with a warning on stderr whenever a
/// `TOKENWARDEN_API_<PROVIDER>` variable sends a provider's requests (and its token) elsewhere.
pub fn provider_api(vault: &Vault) -> CliResult<LiveApi> {
    Ok(LiveApi::for_vault(vault)?.with_env_override_notice(Box::new(|provider, var, base| {
        let host = match (base.host_str(), base.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => base.as_str().to_owned(),
        };
        eprintln!(
            "tokenwarden-cli: warning: {var} is set: {} requests (with the token) go to {host} ({base}), not the provider's own API",
            display_name(provider)
        );
    })))
}
