//! Export formats: an age-encrypted backup (the default), metadata-only CSV and JSON for audits,
//! plain JSON or CSV with secrets only when asked for explicitly, and a KeePassXC-compatible XML.
//! [`write`] turns exported tokens into bytes in a zeroizing buffer; the vault gathers the tokens.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::fmt;
use std::io::Write;
use std::str::FromStr;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::model::{Event, Token, Usage};
use crate::{keepassxc, native};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Every token with its secret, usages and the history, encrypted to a passphrase with age.
    Backup,
    Json,
    Csv,
    KeepassxcXml,
}

impl ExportFormat {
    pub const ALL: &'static [ExportFormat] =
        &[ExportFormat::Backup, ExportFormat::Json, ExportFormat::Csv, ExportFormat::KeepassxcXml];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Backup => "backup",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::KeepassxcXml => "keepassxc-xml",
        }
    }

    /// Whether the file holds secrets in the clear (and so needs an explicit yes).
    pub fn plain_secrets(self, include_secrets: bool) -> bool {
        match self {
            ExportFormat::Backup => false,
            ExportFormat::KeepassxcXml => true,
            ExportFormat::Json | ExportFormat::Csv => include_secrets,
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let folded = s.trim().to_ascii_lowercase().replace('_', "-");
        ExportFormat::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == folded)
            .ok_or_else(|| Error::invalid("format", format!("'{s}' is not one of: backup, json, csv, keepassxc-xml")))
    }
}

/// What to export and how. Holds the backup passphrase: no Debug.
pub struct ExportOptions {
    pub format: ExportFormat,
    /// Put secrets in a plain JSON or CSV file. Required (as a deliberate yes) for KeePassXC XML too.
    pub include_secrets: bool,
    /// The backup's passphrase (required for [`ExportFormat::Backup`]).
    pub passphrase: Option<SecretString>,
    /// ASCII-armored backup instead of binary.
    pub armor: bool,
    /// age's scrypt work factor (log2 N); `None` lets age calibrate it to about a second.
    pub work_factor: Option<u8>,
}

impl ExportOptions {
    pub fn new(format: ExportFormat) -> Self {
        ExportOptions { format, include_secrets: false, passphrase: None, armor: false, work_factor: None }
    }
}

/// A token as exported: metadata, usages, and the secret when the format carries one.
pub struct ExportedToken {
    pub token: Token,
    pub secret: Option<SecretString>,
    pub usages: Vec<Usage>,
}

/// Checks the options before any token is read: a KeePassXC XML holds every secret in the clear.
pub fn check_options(options: &ExportOptions) -> Result<()> {
    if options.format == ExportFormat::KeepassxcXml && !options.include_secrets {
        return Err(Error::invalid(
            "include secrets",
            "a KeePassXC XML export holds every secret in the clear: confirm with --include-secrets",
        ));
    }
    Ok(())
}

/// The file's bytes, zeroized when dropped (a plain export holds secrets). `history` (the vault's
/// events, oldest first) goes only inside an encrypted backup.
pub fn write(
    options: &ExportOptions,
    tokens: &[ExportedToken],
    history: &[Event],
    now: DateTime<Utc>,
) -> Result<Zeroizing<Vec<u8>>> {
    check_options(options)?;
    match options.format {
        ExportFormat::Backup => {
            let passphrase = options
                .passphrase
                .as_ref()
                .filter(|p| !p.expose_secret().is_empty())
                .ok_or_else(|| Error::invalid("passphrase", "an encrypted backup needs a passphrase"))?;
            let backup_id = uuid::Uuid::now_v7().to_string();
            let plain = native::write_json(tokens, Some((&backup_id, history)), now)?;
            encrypt(&plain, passphrase, options.armor, options.work_factor)
        }
        ExportFormat::Json => native::write_json(tokens, None, now),
        ExportFormat::Csv => native::write_csv(tokens),
        ExportFormat::KeepassxcXml => keepassxc::write_xml(tokens, now),
    }
}

fn encrypt(
    plain: &[u8],
    passphrase: &SecretString,
    armor: bool,
    work_factor: Option<u8>,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    if let Some(log_n) = work_factor {
        recipient.set_work_factor(log_n);
    }
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| Error::Internal(format!("age: {e}")))?;
    let failed = |e: std::io::Error| Error::Internal(format!("encrypting the backup failed: {e}"));
    let format = if armor { age::armor::Format::AsciiArmor } else { age::armor::Format::Binary };
    let armored =
        age::armor::ArmoredWriter::wrap_output(Vec::with_capacity(plain.len() + 1024), format).map_err(failed)?;
    let mut writer = encryptor.wrap_output(armored).map_err(failed)?;
    writer.write_all(plain).map_err(failed)?;
    let out = writer.finish().and_then(|armored| armored.finish()).map_err(failed)?;
    Ok(Zeroizing::new(out))
}

/// Opens an age-encrypted backup with its passphrase. The plaintext is returned zeroizing.
pub(crate) fn decrypt(input: &crate::Input<'_>, passphrase: &SecretString) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let armored = age::armor::ArmoredReader::new(input.bytes);
    let decryptor = age::Decryptor::new(armored).map_err(|e| backup_error(input, &e))?;
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let mut reader =
        decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(|e| backup_error(input, &e))?;
    let mut plain = Zeroizing::new(Vec::new());
    reader.by_ref().take(crate::MAX_FILE_BYTES as u64 * 4).read_to_end(&mut plain).map_err(|_| {
        input.error("the whole file", "backup", "is damaged or truncated (its contents fail authentication)")
    })?;
    Ok(plain)
}

fn backup_error(input: &crate::Input<'_>, e: &age::DecryptError) -> Error {
    use age::DecryptError as E;
    let problem = match e {
        E::DecryptionFailed | E::KeyDecryptionFailed | E::NoMatchingKeys => {
            return Error::BackupPassphrase {
                file: input.name.to_owned(),
                problem: "the passphrase is wrong (or the file was encrypted to a different one)".to_owned(),
            };
        }
        E::ExcessiveWork { .. } => "asks for more scrypt work than Tokenwarden allows (hostile file?)".to_owned(),
        E::InvalidHeader | E::UnknownFormat => "is not an age-encrypted file, or its header is damaged".to_owned(),
        E::InvalidMac => "has a damaged header (its MAC does not match)".to_owned(),
        E::Io(_) => "is truncated or damaged".to_owned(),
        _ => "could not be decrypted".to_owned(),
    };
    input.error("the whole file", "backup", problem)
}
