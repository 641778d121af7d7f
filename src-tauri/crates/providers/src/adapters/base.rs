//! Where each provider's API lives, and the one gate every base URL passes: https only (plain
//! http only to loopback, for the fake provider server), never userinfo or a query. This table
//! is deliberately separate from the catalog's `api_base` so a test can cross-check the two.

use super::AdapterError;
use url::{Host, Url};

/// The real API base of each provider that has an adapter. Endpoint paths are appended to these.
pub const DEFAULT_BASES: &[(&str, &str)] = &[
    ("github", "https://api.github.com"),
    ("gitlab", "https://gitlab.com"),
    ("slack", "https://slack.com/api"),
    ("hugging-face", "https://huggingface.co"),
    ("cloudflare", "https://api.cloudflare.com/client/v4"),
    ("digitalocean", "https://api.digitalocean.com"),
    ("vercel", "https://api.vercel.com"),
    ("sendgrid", "https://api.sendgrid.com"),
];

/// The environment variable that overrides a provider's base: `TOKENWARDEN_API_` + the id
/// upper-cased with `-` turned into `_` (`hugging-face` → `TOKENWARDEN_API_HUGGING_FACE`).
pub fn env_var_name(provider: &str) -> String {
    let id: String = provider.chars().map(|c| if c == '-' { '_' } else { c.to_ascii_uppercase() }).collect();
    format!("TOKENWARDEN_API_{id}")
}

/// Base URL for a provider: `override_url` (a user setting) > the environment variable
/// [`env_var_name`] > the real default. Empty values count as unset.
pub fn api_base(provider: &str, override_url: Option<&str>) -> Result<Url, AdapterError> {
    let env_value = std::env::var(env_var_name(provider)).ok();
    api_base_from(provider, override_url, env_value.as_deref())
}

/// [`api_base`] with the environment variable's value passed in, for callers that read their
/// settings elsewhere (and for tests, which must not race on the process environment).
pub fn api_base_from(provider: &str, override_url: Option<&str>, env_value: Option<&str>) -> Result<Url, AdapterError> {
    let chosen = [override_url, env_value]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|value| !value.is_empty())
        .or_else(|| DEFAULT_BASES.iter().find(|(id, _)| *id == provider).map(|(_, base)| *base));
    match chosen {
        Some(raw) => checked_base(raw),
        None => Err(AdapterError::Unsupported { provider: provider.to_owned(), operation: "call the API for" }),
    }
}

/// Parses and checks a base URL (see [`check_base`]).
pub(crate) fn checked_base(raw: &str) -> Result<Url, AdapterError> {
    let url = Url::parse(raw).map_err(|_| AdapterError::InsecureUrl { url: "(not a valid URL)".to_owned() })?;
    check_base(&url)?;
    Ok(url)
}

/// Refuses anything but https, except http to 127.0.0.0/8, ::1 or `localhost`; refuses userinfo,
/// a query or a fragment (a base URL has no use for them, and userinfo would be a second secret).
pub(crate) fn check_base(url: &Url) -> Result<(), AdapterError> {
    let scheme_ok = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => url.host().is_some_and(|host| is_loopback(&host)),
        _ => false,
    };
    let has_userinfo = !url.username().is_empty() || url.password().is_some();
    if !scheme_ok || has_userinfo || url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(AdapterError::InsecureUrl { url: redacted(url) });
    }
    Ok(())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// The URL without userinfo, query and fragment, safe to show in an error.
fn redacted(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(host) => host.to_string(),
        None => String::new(),
    };
    let port = url.port().map(|port| format!(":{port}")).unwrap_or_default();
    let path = if url.cannot_be_a_base() { "" } else { url.path() };
    format!("{}://{host}{port}{path}", url.scheme())
}

/// `base` + `path` (which starts with `/`), keeping the base's own path (`…/client/v4`).
pub(crate) fn endpoint(base: &Url, path: &str) -> Result<Url, AdapterError> {
    let joined = format!("{}{path}", base.as_str().trim_end_matches('/'));
    Url::parse(&joined).map_err(|_| AdapterError::InsecureUrl { url: redacted(base) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names_are_upper_case_with_underscores() {
        assert_eq!(env_var_name("hugging-face"), "TOKENWARDEN_API_HUGGING_FACE");
        assert_eq!(env_var_name("github"), "TOKENWARDEN_API_GITHUB");
    }

    #[test]
    fn endpoints_keep_the_base_path() {
        let base = Url::parse("https://api.cloudflare.com/client/v4").unwrap();
        assert_eq!(
            endpoint(&base, "/user/tokens/verify").unwrap().as_str(),
            "https://api.cloudflare.com/client/v4/user/tokens/verify"
        );
        let base = Url::parse("http://127.0.0.1:9/slack/").unwrap();
        assert_eq!(endpoint(&base, "/auth.test").unwrap().as_str(), "http://127.0.0.1:9/slack/auth.test");
    }

    #[test]
    fn refused_urls_are_shown_without_their_password_or_query() {
        let err = checked_base("https://user:hunter2@example.com/api?key=abc").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("hunter2") && !text.contains("key=abc") && !text.contains("user:"), "{text}");
        assert!(text.contains("https://example.com/api"), "{text}");
    }

    #[test]
    fn every_default_base_passes_the_gate() {
        for (provider, _) in DEFAULT_BASES {
            api_base_from(provider, None, None).unwrap();
        }
    }
}
