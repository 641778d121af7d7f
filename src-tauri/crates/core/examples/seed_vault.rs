//! Makes a vault full of realistic fake tokens, for benchmarks and for trying the app at scale.
//!   cargo run --release -p tokenwarden-core --example seed_vault -- DIR COUNT PASSWORD
//! It uses a cheap Argon2id cost (8 MiB, t=1) so that timings show what comes after the KDF.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use secrecy::SecretString;
use tokenwarden_core::{KdfParams, NewToken, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const PROVIDERS: &[&str] = &["github", "gitlab", "slack", "stripe", "openai", "aws", "cloudflare", "vercel"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, count, password] = &args[..] else {
        eprintln!("usage: seed_vault DIR COUNT PASSWORD");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("COUNT is a number");
    let now = Utc::now();
    let kdf = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
    let mut vault = Vault::create(std::path::Path::new(dir), &SecretString::from(password.clone()), kdf, now).unwrap();
    for start in (0..count).step_by(10_000) {
        let batch = (start..count.min(start + 10_000))
            .map(|i| {
                let provider = ProviderId::parse(PROVIDERS[i % PROVIDERS.len()]).unwrap();
                let secret =
                    SecretString::from(format!("seed_{i:08}_{:032x}", (i as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
                let mut t = NewToken::new(format!("service-{i:05} deploy"), provider, TokenKind::ApiKey, secret);
                t.account = Some(format!("team-{}", i % 97));
                t.environment = Some(["prod", "staging", "dev"][i % 3].to_owned());
                t.tags = vec![format!("squad-{}", i % 13)];
                t.expires_at = (i % 5 != 0).then(|| now + Duration::days((i % 400) as i64 - 20));
                t
            })
            .collect();
        vault.add_tokens(batch, now).unwrap();
    }
    vault.checkpoint().unwrap();
    println!("seeded {count} tokens in {dir}");
}
