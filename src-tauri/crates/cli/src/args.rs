//! The command line, as scripts see it. This is a stable interface: options and exit codes are
//! documented in `--help` and the README, and only ever added to.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  ok
  1  error (damaged, tampered or rolled-back vault, I/O, keyring, ...)
  2  usage (unknown command or option)
  3  wrong password (or backup passphrase), or the vault is locked and no password was given
  4  not found (no vault, no such token)
  5  invalid input (a bad date, name, file, ...)
  6  reminders are due (`remind --fail-if-due`)
  7  a provider could not be reached or refused a call (offline, timeout, 401, 403, rate-limited, 5xx);
     `verify` exits 0 when the provider answers, even that the token is invalid: read `valid`

Secrets are never taken from the command line: use --secret-file, stdin (-) or the prompt.";

#[derive(Parser)]
#[command(
    name = "tokenwarden-cli",
    version,
    about = "Keep API tokens under control: an encrypted inventory with expiry countdowns.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct Global {
    /// Vault directory [default: tokenwarden/ in the OS data dir]
    #[arg(long, global = true, env = "TOKENWARDEN_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// Read the vault password from the first line of PATH (`-` for stdin)
    #[arg(long, global = true, env = "TOKENWARDEN_PASSWORD_FILE", value_name = "PATH")]
    pub password_file: Option<PathBuf>,
    /// Do not use the OS keyring to unlock
    #[arg(long, global = true)]
    pub no_keyring: bool,
    /// Print data as JSON (and errors as a JSON object on stderr)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new vault
    Init(InitArgs),
    /// Show the vault's location, key-derivation parameters and keyring slot (no password needed)
    Info,
    /// Check every page of the database and the audit log's hash chain
    Check,
    /// Add a token (the secret comes from --secret-file, stdin or a prompt)
    Add(AddArgs),
    /// List tokens, soonest expiry first
    List(ListArgs),
    /// Show one token's metadata, usages and history
    Show(TokenRef),
    /// Change a token's metadata or secret
    Edit(EditArgs),
    /// Archive a token (`--purge` deletes it for good)
    Rm(RmArgs),
    /// Print a token's secret, and nothing else, to stdout
    Reveal(TokenRef),
    /// Copy a token's secret to the clipboard and clear it after a timeout
    Copy(CopyArgs),
    /// Change the vault password, or re-encrypt the whole vault under a fresh key (--rekey)
    Passwd(PasswdArgs),
    /// Unlock with the OS keyring instead of typing the password
    #[command(subcommand)]
    Keyring(KeyringCommand),
    /// Record or list where a token is used
    #[command(subcommand)]
    Usage(UsageCommand),
    /// Show the audit log (`--verify` checks its hash chain)
    Log(LogArgs),
    /// Import tokens from a file: a backup, CSV, .env, KeePassXC, Bitwarden, 1Password, gitleaks or trufflehog
    Import(ImportArgs),
    /// Export the inventory: an encrypted backup (default), metadata CSV/JSON, or KeePassXC XML
    Export(ExportArgs),
    /// Show what expires or is due for rotation soon (only reads: never marks a reminder as sent)
    Remind(RemindArgs),
    /// Tell which provider and kind a secret is (read from stdin or --secret-file; no vault needed)
    Detect(DetectArgs),
    /// Check tokens at their providers: valid, owner, scopes, expiry, last use
    Verify(VerifyArgs),
    /// Rotate a token step by step (guided, or by the provider's API), resumable after a crash
    Rotate(RotateArgs),
    /// Revoke tokens: by the provider's API, or record that you revoked them at the provider
    Revoke(RevokeArgs),
    /// The provider catalog: formats, pages, steps, APIs; set a provider's API address
    #[command(subcommand)]
    Provider(ProviderCommand),
    /// Look for tokens lying in plaintext files and tie them to the vault
    Scan(ScanArgs),
    /// The inventory's health: expired, unused, orphaned, over-privileged tokens and more
    Audit(AuditArgs),
    /// Check the tokens that are due at their providers and raise alerts (for cron: `--once`)
    Monitor(MonitorArgs),
}

#[derive(Args)]
#[command(after_help = "\
Checks only tokens that are live, not switched off, and at a provider you have checked a token at
before (`verify`): that first check is your consent. Each token is due once a day at its own time;
at most three calls a minute go to one provider, and a provider that answered 429, 5xx or could
not be reached is left alone for a while (its Retry-After when it sent one).

Exit status: 0 when the pass ran and raised no alert, 10 when it raised at least one new alert,
7 when a due check could not be made (offline, rate-limited, provider error) and nothing was raised.")]
pub struct MonitorArgs {
    /// Run one pass now and exit (the only mode: the app runs the monitor while it is unlocked)
    #[arg(long, required = true)]
    pub once: bool,
}

#[derive(Args)]
#[command(after_help = "\
Findings: expired_but_active, last_check_invalid (high); expires_soon, rotation_overdue, over_privileged,
duplicate_secret (medium); no_expiry, unused, orphaned, never_checked, check_stale, review_due (low).
A dismissed finding stays hidden until its evidence changes.

Exit status: 0, or 8 when --fail-on is given and a finding at or above that severity is open.")]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: Option<AuditAction>,
    /// Exit 8 when a finding of this severity or worse is open: high, medium or low
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
}

#[derive(Subcommand)]
pub enum AuditAction {
    /// Hide a finding, with the reason (logged); it comes back when its evidence changes
    Dismiss {
        /// The token (name or id)
        token: String,
        /// The finding's kind, such as no_expiry
        finding: String,
        #[arg(long)]
        reason: String,
    },
    /// Record that you reviewed the token's scopes (rests the review_due finding)
    Reviewed {
        /// The token (name or id)
        token: String,
    },
}

#[derive(Args)]
#[command(after_help = "\
Each value found is matched against the vault by keyed fingerprint (never by plaintext) and shown in
one of four groups: known (a token in the vault), unknown (not in the vault), dead (a revoked, expired
or archived token still on disk) and possible (a loose shape, for you to judge). Only hints
(ghp_…a1B2) and locations are printed, never a secret. Files are read, never written.

--home scans the usual places: ~/.netrc, ~/.git-credentials, ~/.npmrc, ~/.pypirc, ~/.docker/config.json,
~/.aws/credentials, Cargo's and Terraform's credentials, GitHub CLI's hosts.yml, shell histories and
~/.env* files. Folders given as PATH are scanned in full, honouring .gitignore unless --no-ignore.

Ctrl+C stops the walk at once: nothing is linked or imported, and the exit status is 130.

Exit status: 0 when nothing unknown or dead was found (or every unknown one was imported with
--import); 9 when a token not in the vault, or a dead one, lies on disk.")]
pub struct ScanArgs {
    /// Files or folders to scan
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Scan the usual credential files and shell histories in your home directory
    #[arg(long)]
    pub home: bool,
    /// Record each copy of a known token as a usage (kind plaintext_file, location path:line)
    #[arg(long)]
    pub link: bool,
    /// Add the unknown tokens found, all or nothing, each with its location as a usage
    #[arg(long)]
    pub import: bool,
    /// Also scan files that .gitignore and .ignore exclude
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_file_size: u64,
    /// Report files and bytes scanned on stderr as the scan goes (on by default on a terminal)
    #[arg(long)]
    pub progress: bool,
}

#[derive(Args)]
pub struct DetectArgs {
    /// Read the secret from PATH (`-` for stdin, the default)
    #[arg(long, value_name = "PATH", default_value = "-")]
    pub secret_file: PathBuf,
}

#[derive(Args)]
#[command(after_help = "\
A check sends the token to its provider's API over HTTPS (for example GitHub's GET /user) and records
what the provider says: valid or not, owner, scopes, expiry and last use. The provider sees it as a use
of the token. Base addresses can be changed per provider with `provider set-url` or the environment
variable TOKENWARDEN_API_<PROVIDER> (such as TOKENWARDEN_API_GITLAB for a self-hosted GitLab).

Exit status: 0 when the provider answered, whether or not it accepts the token: a refused (invalid,
expired or revoked) token is a result, shown as INVALID (`\"valid\": false` with --json), not an
error. 7 when the provider could not be asked or gave no usable answer (offline, timeout, 403,
rate-limited, 5xx); with --all, 7 when any check could not be made (the others are still reported).")]
pub struct VerifyArgs {
    /// The token's id, the first 8+ characters of it, or its exact name
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub token: Option<String>,
    /// Check every live token whose provider has a check API
    #[arg(long)]
    pub all: bool,
}

#[derive(Args)]
#[command(after_help = "\
Steps, each saved before the next: store the new token, verify it, update where it is used (a
checklist from `usage`), make it active, revoke the old one (or leave it for later), done.
The old token is never revoked before the new one is stored and verified. If the command is
interrupted, `rotate TOKEN --resume` continues from the last saved step; `--abort` discards the
new token (only before it is made active) and leaves the old one untouched.
Questions go to stderr and answers are read from stdin, so a script can drive it.")]
pub struct RotateArgs {
    /// The token's id, the first 8+ characters of it, or its exact name
    pub token: String,
    /// guided (you make the new token at the provider's site) or api (the provider issues it)
    #[arg(long, default_value = "guided", value_name = "guided|api")]
    pub method: String,
    /// Continue the token's unfinished rotation
    #[arg(long, conflicts_with = "abort")]
    pub resume: bool,
    /// Abandon the token's unfinished rotation
    #[arg(long)]
    pub abort: bool,
    /// The new token's expiry (date, duration or never) [default: what the provider says, or the old lifetime carried forward]
    #[arg(long)]
    pub expires: Option<String>,
    /// Read the new secret from PATH (`-` for stdin) instead of asking
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

#[derive(Args)]
#[command(after_help = "\
--how api calls the provider's revoke API (GitLab, Slack, Vercel; GitHub's is its leak report,
--how report-leak). --how confirmed records that you revoked the token at the provider's site; with
--reverify the provider is asked again and the record is only made if it now refuses the token.
With several tokens (or --provider), tokens with a revoke API are revoked at once and the rest are
listed for you to revoke by hand (\"panic revoke\").")]
pub struct RevokeArgs {
    /// Tokens by id, id prefix or exact name
    #[arg(required_unless_present = "provider")]
    pub tokens: Vec<String>,
    /// Every live token of this provider
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// api, confirmed or report-leak [default: api where the provider has one, else confirmed]
    #[arg(long, value_name = "HOW")]
    pub how: Option<String>,
    /// Check at the provider afterwards that the token is refused
    #[arg(long)]
    pub reverify: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Subcommand)]
pub enum ProviderCommand {
    /// List the providers Tokenwarden knows and what their APIs allow
    List,
    /// Show one provider: formats, pages, rotation and revocation steps, dangerous scopes
    Show {
        /// Provider id, such as github
        provider: String,
    },
    /// Use another API address for a provider (a self-hosted GitLab, say); --clear goes back to the default
    SetUrl {
        provider: String,
        /// https://… (plain http only to this machine)
        #[arg(required_unless_present = "clear")]
        url: Option<String>,
        #[arg(long, conflicts_with = "url")]
        clear: bool,
    },
}

#[derive(Args)]
#[command(after_help = "\
Works while the vault is locked when the OS keyring holds the reminder index key (`keyring enable`
puts it there); otherwise it unlocks the vault like any other command.
With --fail-if-due it exits 6 when anything is due, for cron jobs and CI pipelines.")]
pub struct RemindArgs {
    /// How far ahead to look (14d, 4w, ...) [default: the vault's warning days, 30]
    #[arg(long, value_name = "DURATION")]
    pub within: Option<String>,
    /// Exit 6 when anything is due
    #[arg(long)]
    pub fail_if_due: bool,
    /// Silence TOKEN's reminders (by id, id prefix or name) for --for, then remind again
    #[arg(long, value_name = "TOKEN", conflicts_with = "dismiss")]
    pub snooze: Option<String>,
    /// How long --snooze lasts: 1d or 1w (any duration such as 3d works)
    #[arg(long = "for", value_name = "DURATION", default_value = "1d", requires = "snooze")]
    pub snooze_for: String,
    /// Stop TOKEN's current reminders for good (a renewed expiry brings them back)
    #[arg(long, value_name = "TOKEN")]
    pub dismiss: Option<String>,
}

#[derive(Args)]
#[command(after_help = "\
Formats are detected from the file's contents; --format names one when detection guesses wrong.
Nothing is written until the whole file has been read and checked, and then all rows are written in
one transaction: a file that fails to parse exits 5 and changes nothing.
Limits: files up to 64 MiB, 200,000 tokens, fields up to 64 KiB, JSON nested up to 64 levels,
1PUX archives that unpack to at most 256 MiB.")]
pub struct ImportArgs {
    /// The file to import
    pub file: PathBuf,
    /// auto, backup, json, csv, env, keepassxc-xml, keepassxc-csv, bitwarden-json, 1pux, 1password-csv, gitleaks or trufflehog
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Print what would be imported, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// When a secret is already in the vault: skip it, update the existing token's metadata, or import it anyway
    #[arg(long, default_value = "skip", value_name = "skip|update|import")]
    pub on_duplicate: String,
    /// Read an encrypted backup's passphrase from the first line of PATH (`-` for stdin)
    #[arg(long, value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
    /// Map a CSV column by hand, such as --column "API Token=secret" (repeatable)
    #[arg(long = "column", value_name = "HEADER=FIELD")]
    pub columns: Vec<String>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The file to write (mode 0600, written atomically)
    pub file: PathBuf,
    /// backup (encrypted with a passphrase), json, csv or keepassxc-xml
    #[arg(long, default_value = "backup")]
    pub format: String,
    /// Put secrets in a plain json or csv file (required for keepassxc-xml, which always holds them)
    #[arg(long)]
    pub include_secrets: bool,
    /// Read the backup passphrase from the first line of PATH (`-` for stdin) instead of asking twice
    #[arg(long, value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
    /// Write the backup as ASCII-armored text
    #[arg(long)]
    pub armor: bool,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct KdfArgs {
    /// Argon2id memory in MiB (default: calibrated to this machine, at least 64)
    #[arg(long, value_name = "N")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id iterations (default: calibrated, at least 3)
    #[arg(long, value_name = "N")]
    pub kdf_iterations: Option<u32>,
    /// Argon2id parallelism (default: 4)
    #[arg(long, value_name = "N")]
    pub kdf_parallelism: Option<u32>,
}

#[derive(Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub kdf: KdfArgs,
}

#[derive(Args)]
pub struct AddArgs {
    /// A name to recognise the token by, such as "deploy bot"
    #[arg(long)]
    pub name: String,
    /// Provider id such as github, gitlab, aws [default: detected from the token's format, else generic]
    #[arg(long)]
    pub provider: Option<String>,
    /// personal_access_token, api_key, oauth_client_secret, webhook_secret, deploy_key or other [default: detected, else api_key]
    #[arg(long)]
    pub kind: Option<String>,
    /// When it expires: a date (2027-01-31), a date and time, a duration (90d, 12w, 6m, 1y) or never
    /// [default: the provider's default lifetime for the detected kind, if it has one]
    #[arg(long)]
    pub expires: Option<String>,
    /// The account or owner the token belongs to
    #[arg(long)]
    pub account: Option<String>,
    /// Environment, such as prod or staging
    #[arg(long = "env")]
    pub environment: Option<String>,
    /// Scopes, comma-separated: repo,read:org
    #[arg(long, value_delimiter = ',')]
    pub scopes: Vec<String>,
    /// A tag (repeat for more)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// A note
    #[arg(long)]
    pub note: Option<String>,
    /// Where the token is managed (an https address)
    #[arg(long)]
    pub url: Option<String>,
    /// Rotate after this long (90d, 6m, ...)
    #[arg(long, value_name = "DURATION")]
    pub rotate_every: Option<String>,
    /// Read the secret from PATH (`-` for stdin); without it, a prompt asks
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub provider: Option<String>,
    /// active, rotating, revoked, expired or archived
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    #[arg(long = "env")]
    pub environment: Option<String>,
    /// Only tokens that expire within this long (7d, 4w, ...), including those already expired
    #[arg(long, value_name = "DURATION")]
    pub expiring_within: Option<String>,
    /// Text to find in name, account, environment, provider, hint, tags or notes
    #[arg(long)]
    pub search: Option<String>,
    /// Include archived tokens
    #[arg(long)]
    pub all: bool,
    /// time-left, name, provider or recently-added
    #[arg(long, default_value = "time-left")]
    pub sort: String,
}

#[derive(Args)]
pub struct TokenRef {
    /// The token's id, the first 8+ characters of it, or its exact name
    pub token: String,
}

#[derive(Args)]
pub struct EditArgs {
    /// The token's id, the first 8+ characters of it, or its exact name
    pub token: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub kind: Option<String>,
    /// New expiry (date, duration or never)
    #[arg(long)]
    pub expires: Option<String>,
    /// New account ('' clears it)
    #[arg(long)]
    pub account: Option<String>,
    /// New environment ('' clears it)
    #[arg(long = "env")]
    pub environment: Option<String>,
    /// Replace the scopes (comma-separated; '' clears them)
    #[arg(long)]
    pub scopes: Option<String>,
    /// Replace all tags with these (repeatable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Add a tag (repeatable)
    #[arg(long)]
    pub add_tag: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long)]
    pub remove_tag: Vec<String>,
    /// New note ('' clears it)
    #[arg(long)]
    pub note: Option<String>,
    /// New management address ('' clears it)
    #[arg(long)]
    pub url: Option<String>,
    /// Rotate after this long, or never
    #[arg(long, value_name = "DURATION")]
    pub rotate_every: Option<String>,
    /// Set the status: active, rotating, revoked, expired or archived
    #[arg(long)]
    pub status: Option<String>,
    /// Replace the secret with the one in PATH (`-` for stdin)
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct RmArgs {
    /// The token's id, the first 8+ characters of it, or its exact name
    pub token: String,
    /// Delete the token and its secret for good instead of archiving it
    #[arg(long)]
    pub purge: bool,
    /// Do not ask for confirmation (needed for --purge without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Args)]
pub struct CopyArgs {
    /// The token's id, the first 8+ characters of it, or its exact name
    pub token: String,
    /// Clear the clipboard after this many seconds [default: the vault's setting, 20]
    #[arg(long, value_name = "SECONDS")]
    pub clear_after: Option<u32>,
}

#[derive(Args)]
#[command(after_help = "\
--rekey re-encrypts the vault under a fresh master key: a new database key, every secret resealed,
the audit log re-anchored, the password slot and the keyring entry replaced. The password stays the
same (it is asked for to prove you know it). Interrupted at any point, the vault opens afterwards
with the password, under either the old or the new key. Lock the app first: a window holding the
vault open keeps the old key.")]
pub struct PasswdArgs {
    /// Read the new password from the first line of PATH (`-` for stdin); without it, a prompt asks twice
    #[arg(long, value_name = "PATH", conflicts_with = "rekey")]
    pub new_password_file: Option<PathBuf>,
    /// Keep the password but re-encrypt the vault under a fresh master key (after a suspected leak
    /// of the key or of an unlocked copy)
    #[arg(long)]
    pub rekey: bool,
    #[command(flatten)]
    pub kdf: KdfArgs,
}

#[derive(Subcommand)]
pub enum KeyringCommand {
    /// Keep the vault key in the OS keyring so unlocking needs no password
    Enable,
    /// Remove the vault key from the OS keyring
    Disable,
    /// Say whether keyring unlock is set up and whether the keyring answers
    Status,
}

#[derive(Subcommand)]
pub enum UsageCommand {
    /// Record where a token is used
    Add {
        /// The token's id, the first 8+ characters of it, or its exact name
        token: String,
        /// ci_secret, server_env, env_file, config_file, app or other
        #[arg(long)]
        kind: String,
        /// Where: a repository's secret name, a host, a file path, ...
        #[arg(long)]
        location: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// List where a token is used
    List { token: String },
    /// Forget one usage (by its id, from `usage list`)
    Rm { id: String },
}

#[derive(Args)]
pub struct LogArgs {
    /// Verify the hash chain instead of printing events
    #[arg(long)]
    pub verify: bool,
    /// Only events of this token
    #[arg(long)]
    pub token: Option<String>,
    /// How many of the newest events to show
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}
