//! Known credential files, read by their format rather than grepped: the value a tool stores is a
//! credential whatever its shape, so it is found even when no catalog format names it.
//! Each reader returns the values with their line and column; a file that does not parse as its
//! format falls back to the line-by-line read.

use base64::Engine as _;

use crate::extract::{Found, Tally};
use crate::Certainty;

/// The format of a known credential file, by its name (and, where the name is common, its folder).
pub(crate) fn format_of(path: &std::path::Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
    Some(match (parent, name) {
        (_, ".netrc" | "_netrc") => "netrc",
        (_, ".git-credentials") => "git-credentials",
        (_, ".npmrc") => "npmrc",
        (_, ".pypirc") => "pypirc",
        (".docker", "config.json") => "docker-config",
        (".aws", "credentials") => "aws-credentials",
        (".cargo", "credentials.toml" | "credentials") => "cargo-credentials",
        (_, "credentials.tfrc.json") => "terraform-credentials",
        ("gh", "hosts.yml") => "gh-hosts",
        _ => return None,
    })
}

/// The credentials in a known file, or `None` when it does not read as its format.
pub(crate) fn read(format: &str, text: &str, tally: &mut Tally) -> Option<Vec<Found>> {
    let values: Vec<(usize, usize, String)> = match format {
        "netrc" => words_after(text, &["password"]),
        "git-credentials" => text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| {
                // scheme://user:secret@host
                let rest = line.trim().split_once("://")?.1;
                let userinfo = rest.split_once('@')?.0;
                let secret = userinfo.split_once(':')?.1;
                Some((i + 1, column_of(line, secret), secret.to_owned()))
            })
            .collect(),
        "npmrc" => assigned(text, &["_authToken", "_auth", "_password"], '='),
        "pypirc" => assigned(text, &["password"], '='),
        "aws-credentials" => assigned(text, &["aws_secret_access_key", "aws_session_token"], '='),
        "cargo-credentials" => assigned(text, &["token"], '='),
        "gh-hosts" => assigned(text, &["oauth_token"], ':'),
        "docker-config" => docker_auths(text)?,
        "terraform-credentials" => json_strings_named(text, "token")?,
        _ => return None,
    };
    let found = values
        .into_iter()
        .filter(|(_, _, value)| !value.is_empty())
        .filter_map(|(line, column, value)| {
            if crate::is_placeholder(&value) {
                tally.placeholders += 1;
                return None;
            }
            // The file's own field says it is a credential, whether or not the catalog names it.
            let detection = crate::extract::name_of(&value);
            Some(Found { line, column, value, certainty: Certainty::Likely, detection })
        })
        .collect();
    Some(found)
}

fn column_of(line: &str, value: &str) -> usize {
    line.find(value).map_or(1, |byte| line[..byte].chars().count() + 1)
}

/// `key = value` (or `key: value`) lines for the given keys, quotes taken off.
fn assigned(text: &str, keys: &[&str], separator: char) -> Vec<(usize, usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (name, value) = line.split_once(separator)?;
            // `//registry.example/:_authToken=…` keeps the key after the last ':'.
            let name = name.trim().rsplit(':').next()?.trim();
            if !keys.iter().any(|k| k.eq_ignore_ascii_case(name)) {
                return None;
            }
            let value = value.trim().trim_matches(['"', '\'']);
            Some((i + 1, column_of(line, value), value.to_owned()))
        })
        .collect()
}

/// The word after each of `keys` (netrc: `machine host login me password secret`).
fn words_after(text: &str, keys: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if keys.contains(&pair[0]) {
                out.push((i + 1, column_of(line, pair[1]), pair[1].to_owned()));
            }
        }
    }
    out
}

/// Docker's `config.json`: `auths.<registry>.auth` is base64 of `user:secret`; `identitytoken` too.
fn docker_auths(text: &str) -> Option<Vec<(usize, usize, String)>> {
    let config: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for entry in config.get("auths")?.as_object()?.values() {
        if let Some(encoded) = entry.get("auth").and_then(|a| a.as_str()) {
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok();
            let secret = decoded
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .and_then(|pair| pair.split_once(':').map(|(_, s)| s.to_owned()));
            if let Some(secret) = secret {
                let (line, column) = position(text, encoded);
                out.push((line, column, secret));
            }
        }
        if let Some(token) = entry.get("identitytoken").and_then(|t| t.as_str()) {
            let (line, column) = position(text, token);
            out.push((line, column, token.to_owned()));
        }
    }
    Some(out)
}

/// Every string value under a key named `key`, anywhere in a JSON document.
fn json_strings_named(text: &str, key: &str) -> Option<Vec<(usize, usize, String)>> {
    fn walk(value: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        serde_json::Value::String(s) if k == key => out.push(s.clone()),
                        _ => walk(v, key, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            _ => {}
        }
    }
    let document: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut strings = Vec::new();
    walk(&document, key, &mut strings);
    Some(
        strings
            .into_iter()
            .map(|s| {
                let (line, column) = position(text, &s);
                (line, column, s)
            })
            .collect(),
    )
}

/// Line and column of the first place `needle` appears in `text` (1, 1 when it does not).
fn position(text: &str, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, line)| line.contains(needle).then(|| (i + 1, column_of(line, needle))))
        .unwrap_or((1, 1))
}
