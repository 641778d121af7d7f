//! `.env` files: `KEY=value` lines, quotes, `export ` prefixes, comments. Each value that looks like
//! a token (or sits under a credential's name) becomes a token used by that file; other values are
//! settings and are left alone. Errors name the line and the key, never a value.

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::error::Result;
use crate::reading;
use crate::{ImportRecord, ImportedUsage, Input};

/// Words in a key that say its value is a credential.
const CREDENTIAL_WORDS: &[&str] = &["TOKEN", "SECRET", "KEY", "PASSWORD", "PASSWD", "PAT", "API", "APIKEY"];
/// Last words of a key that name a setting about a credential rather than the credential itself.
const SETTING_WORDS: &[&str] =
    &["URL", "URI", "HOST", "PORT", "ENDPOINT", "VERSION", "TIMEOUT", "PATH", "FILE", "DIR", "NAME", "USER", "REGION"];

/// One `KEY=value` assignment and the line it starts on.
struct Assignment<'a> {
    line: usize,
    key: &'a str,
    value: Zeroizing<String>,
}

/// Reads the tokens of a `.env` file; a malformed line is an error naming its line.
pub(crate) fn read(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = reading::utf8(input)?;
    let mut lines = text.lines().enumerate().map(|(index, line)| (index + 1, line));
    let mut records = Vec::new();
    while let Some((line, raw)) = lines.next() {
        if let Some(assignment) = parse_line(input, line, raw, &mut lines)? {
            records.extend(to_record(input, assignment)?);
        }
    }
    if records.is_empty() {
        return Err(input.error("the whole file", "values", "has no values that look like tokens"));
    }
    Ok(records)
}

/// One line (and, for a double-quoted value, the lines it runs on to); `None` for blanks and comments.
fn parse_line<'a>(
    input: &Input<'_>,
    line: usize,
    raw: &'a str,
    rest: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<Option<Assignment<'a>>> {
    let trimmed = raw.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let at = format!("line {line}");
    let statement = match trimmed.strip_prefix("export") {
        Some(after) if after.starts_with([' ', '\t']) => after.trim_start(),
        _ => trimmed,
    };
    let Some((key, value)) = statement.split_once('=') else {
        return Err(input.error(at, "line", "is not KEY=value (or a # comment)"));
    };
    let key = key.trim();
    if !is_key(key) {
        return Err(input.error(at, "key", format!("{} may hold only letters, digits and _", quote_key(key))));
    }
    let value = match value.trim_start().chars().next() {
        Some('\'') => single_quoted(input, &at, value.trim_start())?,
        Some('"') => double_quoted(input, &at, value.trim_start(), rest)?,
        _ => Zeroizing::new(unquoted(value).to_owned()),
    };
    Ok(Some(Assignment { line, key, value }))
}

fn is_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// A key for a message: cut short, and withheld when it holds a token (a line pasted wrong).
fn quote_key(key: &str) -> String {
    if reading::holds_token(key) {
        "the text before '='".to_owned()
    } else {
        format!("key '{}'", reading::truncate_chars(key, 40))
    }
}

/// An unquoted value: trimmed, and cut at a `#` that follows whitespace (an inline comment).
fn unquoted(value: &str) -> &str {
    let comment = value.char_indices().find(|&(i, c)| c == '#' && value[..i].ends_with([' ', '\t'])).map(|(i, _)| i);
    value[..comment.unwrap_or(value.len())].trim()
}

/// `'…'`: taken literally, closed on the same line.
fn single_quoted(input: &Input<'_>, at: &str, value: &str) -> Result<Zeroizing<String>> {
    let body = &value[1..];
    let Some(end) = body.find('\'') else {
        return Err(input.error(at, "value", "has a single quote that is never closed"));
    };
    check_after_quote(input, at, &body[end + 1..])?;
    Ok(Zeroizing::new(body[..end].to_owned()))
}

/// `"…"`: `\n`, `\"` and `\\` are escapes (other backslashes are kept); it may run over several lines.
fn double_quoted<'a>(
    input: &Input<'_>,
    at: &str,
    value: &'a str,
    rest: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::new());
    let mut chunk = &value[1..];
    loop {
        let mut chars = chunk.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    check_after_quote(input, at, &chunk[i + 1..])?;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, escaped @ ('"' | '\\'))) => out.push(escaped),
                    Some((_, other)) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                },
                c => out.push(c),
            }
        }
        let Some((_, next)) = rest.next() else {
            return Err(input.error(at, "value", "has a double quote that is never closed"));
        };
        out.push('\n');
        chunk = next;
    }
}

/// After a closing quote only whitespace and a `# comment` may follow.
fn check_after_quote(input: &Input<'_>, at: &str, after: &str) -> Result<()> {
    let after = after.trim_start();
    if after.is_empty() || after.starts_with('#') {
        Ok(())
    } else {
        Err(input.error(at, "value", "has text after its closing quote"))
    }
}

/// The token an assignment holds, or `None` when its value is a setting.
fn to_record(input: &Input<'_>, assignment: Assignment<'_>) -> Result<Option<ImportRecord>> {
    let Assignment { line, key, value } = assignment;
    let at = format!("line {line}");
    let secret = value.trim();
    let by_value = reading::looks_like_token(secret);
    if secret.is_empty() || !(by_value || (names_credential(key) && could_be_credential(secret))) {
        return Ok(None);
    }
    reading::check_secret_len(input, &at, key, secret)?;
    let mut record = ImportRecord::new(at, key, SecretString::from(secret.to_owned()));
    record.usages.push(ImportedUsage::new("env_file", format!("{} ({key})", input.name)));
    if !by_value {
        record.problems.push("does not look like a token; imported because of its name".to_owned());
    }
    Ok(Some(record))
}

/// Whether a key names a credential (`GITHUB_TOKEN`, `DB_PASSWORD`, `OPENAI_API_KEY`, `GH_PAT`)
/// rather than a setting about one (`API_BASE_URL`, `TOKEN_TIMEOUT`).
fn names_credential(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(['_', '.']).filter(|w| !w.is_empty()).collect();
    let credential = words
        .iter()
        .any(|w| CREDENTIAL_WORDS.contains(w) || ["TOKEN", "SECRET", "PASSWORD"].iter().any(|part| w.contains(part)));
    let setting = words.last().is_some_and(|w| SETTING_WORDS.contains(w));
    credential && !setting
}

/// Values no credential takes: numbers, booleans, addresses.
fn could_be_credential(value: &str) -> bool {
    let numeric = value.bytes().all(|b| b.is_ascii_digit());
    let boolean =
        ["true", "false", "yes", "no", "on", "off", "null", "none"].iter().any(|b| value.eq_ignore_ascii_case(b));
    !(numeric || boolean || value.contains("://"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use secrecy::ExposeSecret;

    use crate::reading::test_support::{assert_no_secret, failure, import_fixture};

    const APP: &[u8] = import_fixture!("env/app.env");
    const BROKEN: &[u8] = import_fixture!("env/broken.env");

    fn input(bytes: &[u8]) -> Input<'_> {
        Input { name: "app.env", bytes }
    }

    fn read_text(text: &str) -> Result<Vec<ImportRecord>> {
        read(&input(text.as_bytes()))
    }

    fn error(text: &str) -> String {
        failure(read_text(text))
    }

    fn secret_of<'r>(records: &'r [ImportRecord], name: &str) -> &'r str {
        records.iter().find(|r| r.name == name).map(|r| r.secret.expose_secret()).unwrap_or("(missing)")
    }

    #[test]
    fn token_like_values_and_credential_names_are_imported_settings_are_not() {
        let records = read(&input(APP)).unwrap();
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["GITHUB_TOKEN", "OPENAI_API_KEY", "SLACK_BOT_TOKEN", "DB_PASSWORD", "SESSION_SIGNING", "WEBHOOK_SECRET"]
        );
    }

    #[test]
    fn each_token_names_its_line_and_is_used_by_the_file() {
        let records = read(&input(APP)).unwrap();
        let github = &records[0];
        assert_eq!(github.at, "line 8");
        assert_eq!(github.secret.expose_secret(), "ghp_IBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7");
        assert_eq!(github.usages, [ImportedUsage::new("env_file", "app.env (GITHUB_TOKEN)")]);
        assert!(github.problems.is_empty() && github.provider.is_none());
        assert_eq!(records[5].at, "line 14");
    }

    #[test]
    fn quoted_values_follow_dotenv_rules() {
        let records = read(&input(APP)).unwrap();
        assert_eq!(secret_of(&records, "OPENAI_API_KEY"), "sk-proj-De1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp");
        assert_eq!(secret_of(&records, "SLACK_BOT_TOKEN"), "xoxb-zz63FfkCzJr4i0B3JrTAwR4y9ojflj");
        assert_eq!(secret_of(&records, "WEBHOOK_SECRET"), "multi\nline \"quoted\" value\ncontinued here");
        let records = read_text("A_TOKEN='lit\\n#not a comment'\nB_TOKEN=\"x\\\\y\\tz\"\n").unwrap();
        assert_eq!(secret_of(&records, "A_TOKEN"), "lit\\n#not a comment");
        assert_eq!(secret_of(&records, "B_TOKEN"), "x\\y\\tz");
    }

    #[test]
    fn unquoted_values_are_trimmed_and_lose_inline_comments() {
        let records = read(&input(APP)).unwrap();
        assert_eq!(secret_of(&records, "DB_PASSWORD"), "correct horse battery");
        let records = read_text("export   API_TOKEN =  abc#def123456789012 # note\n").unwrap();
        assert_eq!(secret_of(&records, "API_TOKEN"), "abc#def123456789012");
    }

    #[test]
    fn a_credential_name_imports_a_plain_value_with_a_problem() {
        let records = read(&input(APP)).unwrap();
        let db = records.iter().find(|r| r.name == "DB_PASSWORD").unwrap();
        assert_eq!(db.problems, ["does not look like a token; imported because of its name"]);
        let session = records.iter().find(|r| r.name == "SESSION_SIGNING").unwrap();
        assert!(session.problems.is_empty());
    }

    #[test]
    fn settings_about_credentials_are_not_credentials() {
        assert!(names_credential("GITHUB_PAT") && names_credential("apiKey") && names_credential("X_ACCESSTOKEN"));
        assert!(!names_credential("PATH") && !names_credential("API_BASE_URL") && !names_credential("TOKEN_FILE"));
        assert!(!could_be_credential("3600") && !could_be_credential("TRUE") && !could_be_credential("https://x"));
    }

    #[test]
    fn an_unclosed_double_quote_is_an_error_at_its_line() {
        let err = read(&input(BROKEN)).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "app.env: line 3: value: has a double quote that is never closed");
    }

    #[test]
    fn malformed_lines_are_errors_with_their_line() {
        assert_eq!(error("PORT=1\nnot an assignment\n"), "app.env: line 2: line: is not KEY=value (or a # comment)");
        assert_eq!(error("\nMY-KEY=x\n"), "app.env: line 2: key: key 'MY-KEY' may hold only letters, digits and _");
        assert_eq!(error("1KEY=x\n"), "app.env: line 1: key: key '1KEY' may hold only letters, digits and _");
        assert_eq!(error("A_TOKEN='abc\n"), "app.env: line 1: value: has a single quote that is never closed");
        assert_eq!(error("A_TOKEN=\"abc\" trailing\n"), "app.env: line 1: value: has text after its closing quote");
        assert_eq!(error("export\n"), "app.env: line 1: line: is not KEY=value (or a # comment)");
    }

    #[test]
    fn a_key_holding_a_token_beside_other_text_is_withheld() {
        // Before the first space the key is a 40-character secret without a known prefix.
        let err = error("W2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv junk=1\n");
        assert_eq!(err, "app.env: line 1: key: the text before '=' may hold only letters, digits and _");
    }

    #[test]
    fn a_file_of_settings_only_is_an_error() {
        let err = error("# settings\nPORT=8080\nDEBUG=true\nEMPTY_TOKEN=\n");
        assert_eq!(err, "app.env: the whole file: values: has no values that look like tokens");
    }

    #[test]
    fn windows_line_endings_and_a_bom_are_accepted() {
        let records = read(&input(b"\xEF\xBB\xBFPORT=1\r\nGH=ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR\r\n")).unwrap();
        assert_eq!(records[0].at, "line 2");
        assert_eq!(records[0].secret.expose_secret(), "ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR");
    }

    #[test]
    fn no_error_or_problem_contains_a_secret() {
        let secret = "ghp_KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFR";
        let broken = [
            format!("A=\"{secret}"),
            format!("A='{secret}"),
            format!("A=\"{secret}\"{secret}"),
            secret.to_owned(),
            format!("{secret} x={secret}"),
            format!("{secret}=1"),
        ];
        let mut texts: Vec<String> = broken.iter().filter_map(|t| read_text(t).err()).map(|e| e.to_string()).collect();
        texts.extend(read(&input(BROKEN)).err().map(|e| e.to_string()));
        texts.extend(read(&input(APP)).unwrap().into_iter().flat_map(|r| r.problems));
        assert_eq!(texts.len(), 9, "{texts:?}");
        assert_no_secret(&texts, [secret, "correct horse"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read(&Input { name: "f", bytes: &bytes });
        }

        #[test]
        fn never_panics_on_env_like_text(text in "[a-zA-Z_0-9=\"'#\\\\\n\r\t ]{0,400}") {
            let _ = read(&Input { name: "f", bytes: text.as_bytes() });
            let with_export = format!("export A=\"{text}");
            let _ = read(&Input { name: "f", bytes: with_export.as_bytes() });
        }
    }
}
