//! Figures for `make bench` (prints, asserts nothing): how long the catalog takes to load, what
//! one `detect` call costs on a mix of real-looking tokens and noise, and the client's own
//! overhead for one check against the local fake provider server (loopback, no TLS).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use secrecy::SecretString;
use std::time::{Duration, Instant};
use tokenwarden_providers::adapters::{api_base, Client};
use tokenwarden_providers::{catalog, detect};

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<char> = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".chars().collect();
    let mut random = |n: usize| -> String { (0..n).map(|_| alphabet[(next() % 62) as usize]).collect() };
    for i in 0..2_000 {
        out.push(format!("glpat-{}", random(20)));
        out.push(format!("ghp_{}", random(36)));
        out.push(format!("xoxb-{}-{}-{}", 1_000_000_000 + i, 1_000_000_000_000u64 + i as u64, random(24)));
        out.push(format!("sk_live_{}", random(40)));
        out.push(random(8 + i % 56));
    }
    out
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let started = Instant::now();
    let providers = catalog::catalog().len();
    println!("catalog: {providers} providers parsed and compiled in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);

    let samples = corpus();
    let mut runs = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        found = samples.iter().filter(|s| detect::detect(s).is_some()).count();
        runs.push(t.elapsed());
    }
    let per_call = median(runs).as_secs_f64() * 1e6 / samples.len() as f64;
    println!("detect: {per_call:.2} µs per call (median of 5 passes over {} samples, {found} matched)", samples.len());

    let fake = fake::FakeProviders::start();
    fake.add_token(
        serde_json::json!({ "provider": "gitlab", "token": "glpat-BenchBenchBenchBench", "owner": "bench" }),
    );
    let base = api_base("gitlab", Some(&fake.url("gitlab"))).unwrap();
    let client = Client::new(Duration::from_secs(5));
    let secret = SecretString::from("glpat-BenchBenchBenchBench".to_owned());
    let mut checks = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        client.verify("gitlab", &base, &secret).unwrap();
        checks.push(t.elapsed());
    }
    println!(
        "verify (GitLab adapter against the local fake, two requests each): median {:.2} ms over 100 checks",
        median(checks).as_secs_f64() * 1e3
    );
}
