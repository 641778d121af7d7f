//! The app's command list is written in four places that must agree: the handler registration
//! (`app_commands!` in src/lib.rs), `COMMANDS` in build.rs (which makes the `allow-*`
//! permissions), the capability's `allow-*` list and the isolation frame's allow-list. A command
//! missing from one is either unreachable or reachable without being meant to be.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}

/// The text between `start` and the first `end` after it.
fn section<'a>(text: &'a str, start: &str, end: &str, file: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{file}: no `{start}`")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{file}: no `{end}` after `{start}`"));
    &text[from..from + len]
}

/// Every `'…'` or `"…"` string in `text`.
fn quoted(text: &str, quote: char) -> Vec<String> {
    text.split(quote).skip(1).step_by(2).map(str::to_owned).collect()
}

fn unique(list: Vec<String>, file: &str) -> BTreeSet<String> {
    let set: BTreeSet<String> = list.iter().cloned().collect();
    assert_eq!(set.len(), list.len(), "{file} names a command twice: {list:?}");
    set
}

fn registered() -> BTreeSet<String> {
    let lib = read("src/lib.rs");
    let body = section(&lib, "tauri::generate_handler![", "]", "src/lib.rs");
    let names = body
        .split(',')
        .map(|path| path.trim())
        .filter(|path| !path.is_empty() && !path.starts_with("//"))
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_owned())
        .collect();
    unique(names, "app_commands! in src/lib.rs")
}

fn build_rs() -> BTreeSet<String> {
    let build = read("build.rs");
    unique(quoted(section(&build, "const COMMANDS: &[&str] = &[", "];", "build.rs"), '"'), "COMMANDS in build.rs")
}

fn capability() -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(&read("capabilities/main-window.json")).unwrap();
    let names = json["permissions"]
        .as_array()
        .expect("capabilities/main-window.json: a permissions array")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    unique(names, "the capability's allow-* list")
}

fn isolation() -> BTreeSet<String> {
    let js = read("isolation/index.js");
    unique(
        quoted(section(&js, "const ALLOWED = new Set([", "]);", "isolation/index.js"), '\''),
        "the isolation allow-list",
    )
}

#[test]
fn handler_build_rs_capability_and_isolation_list_the_same_commands() {
    let sources = [
        ("app_commands! in src/lib.rs", registered()),
        ("COMMANDS in build.rs", build_rs()),
        ("the capability's allow-* list (capabilities/main-window.json)", capability()),
        ("the isolation allow-list (isolation/index.js)", isolation()),
    ];
    let all: BTreeSet<&String> = sources.iter().flat_map(|(_, set)| set).collect();
    assert!(all.len() > 30, "the parsers found too few commands: {all:?}");
    let mut problems = Vec::new();
    for (name, set) in &sources {
        let missing: Vec<&&String> = all.iter().filter(|c| !set.contains(c.as_str())).collect();
        if !missing.is_empty() {
            problems.push(format!("{name} lacks {missing:?}"));
        }
    }
    assert!(problems.is_empty(), "the command lists differ:\n{}", problems.join("\n"));
}

#[test]
fn the_capability_grants_no_core_permission_set_wholesale() {
    let json: serde_json::Value = serde_json::from_str(&read("capabilities/main-window.json")).unwrap();
    let granted: Vec<&str> = json["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    let foreign: Vec<&&str> = granted.iter().filter(|p| !p.starts_with("allow-")).collect();
    assert_eq!(
        foreign,
        [&"core:event:allow-listen", &"core:event:allow-unlisten"],
        "only the event plugin's listen/unlisten, which the UI's listen() uses, beyond the app's own commands"
    );
}
