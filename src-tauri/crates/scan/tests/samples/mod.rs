//! Real-shaped (fake) tokens of every catalog format a text scan can find, at their exact documented
//! lengths and alphabets, and near-misses that must never be attributed to a provider. Shared by the
//! precision tests and the bench's tree generator (`examples/bench_tree.rs`), so both hold the same
//! formats. Deterministic: a seeded xorshift, no `rand`.
#![allow(dead_code)]

pub const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const URLSAFE: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";
pub const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const HEX: &[u8] = b"0123456789abcdef";
pub const MIXED_HEX: &[u8] = b"0123456789abcdefABCDEF";
pub const UPPER_BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const UPPER_ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
pub const DIGITS: &[u8] = b"0123456789";

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(alphabet[self.below(alphabet.len())])).collect()
    }
}

/// CRC-32 (IEEE), as zlib computes it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn in_base(mut value: u64, alphabet: &[u8], width: usize) -> String {
    let mut digits = Vec::new();
    while value > 0 {
        digits.push(alphabet[(value % alphabet.len() as u64) as usize]);
        value /= alphabet.len() as u64;
    }
    while digits.len() < width {
        digits.push(alphabet[0]);
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// GitHub's format: prefix, 30 base62 characters, their CRC-32 in 6 base62 digits.
fn github(prefix: &str, rng: &mut Rng) -> String {
    let body = rng.string(ALNUM, 30);
    format!("{prefix}{body}{}", in_base(u64::from(crc32(body.as_bytes())), ALNUM, 6))
}

/// GitLab's versioned routable format: `glpat-<base64url payload>.<version>.<payload length, 2 base36>
/// <CRC-32 of everything before it, 7 base36>`.
fn gitlab_routable(rng: &mut Rng) -> String {
    let len = rng.between(27, 60);
    let payload = rng.string(URLSAFE, len);
    let head = format!("glpat-{payload}.01.{}", in_base(payload.len() as u64, BASE36, 2));
    let crc = in_base(u64::from(crc32(head.as_bytes())), BASE36, 7);
    format!("{head}{crc}")
}

/// One catalog format: the provider and kind `detect` must name, and a maker of samples.
pub struct Format {
    pub provider: &'static str,
    pub kind: &'static str,
    pub make: fn(&mut Rng) -> String,
}

macro_rules! fmt {
    ($provider:literal, $kind:literal, |$rng:ident| $body:expr) => {
        Format { provider: $provider, kind: $kind, make: |$rng: &mut Rng| $body }
    };
}

/// Every catalog format a line-by-line scan can find. Left out, because they are not one run of
/// token characters: AWS's key-id-and-secret pair (found by the `~/.aws/credentials` reader) and
/// Google's service-account JSON (a whole file).
pub const FORMATS: &[Format] = &[
    fmt!("anthropic", "api-key", |r| format!("sk-ant-api03-{}AA", r.string(URLSAFE, 93))),
    fmt!("anthropic", "admin-key", |r| format!("sk-ant-admin01-{}AA", r.string(URLSAFE, 93))),
    fmt!("atlassian", "api-token", |r| format!("ATATT3{}", r.string(URLSAFE, 186))),
    fmt!("aws", "access-key-id", |r| format!("AKIA{}", r.string(UPPER_BASE32, 16))),
    fmt!("aws", "temporary-access-key-id", |r| format!("ASIA{}", r.string(UPPER_BASE32, 16))),
    fmt!("azure-devops", "pat", |r| format!(
        "{}JQQJ{}AZDO{}",
        r.string(ALNUM, 52),
        r.string(ALNUM, 20),
        r.string(ALNUM, 4)
    )),
    fmt!("cloudflare", "api-token", |r| {
        let n = r.between(41, 56);
        format!("cfut_{}", r.string(ALNUM, n))
    }),
    fmt!("cloudflare", "account-api-token", |r| {
        let n = r.between(41, 56);
        format!("cfat_{}", r.string(ALNUM, n))
    }),
    fmt!("cloudflare", "global-api-key", |r| {
        let n = r.between(41, 56);
        format!("cfk_{}", r.string(ALNUM, n))
    }),
    fmt!("digitalocean", "pat", |r| format!("dop_v1_{}", r.string(HEX, 64))),
    fmt!("digitalocean", "oauth-token", |r| format!("doo_v1_{}", r.string(HEX, 64))),
    fmt!("digitalocean", "oauth-refresh-token", |r| format!("dor_v1_{}", r.string(HEX, 64))),
    fmt!("docker-hub", "pat", |r| format!("dckr_pat_{}", r.string(URLSAFE, 27))),
    fmt!("docker-hub", "organization-access-token", |r| {
        let n = r.between(20, 100);
        format!("dckr_oat_{}", r.string(URLSAFE, n))
    }),
    fmt!("github", "fine-grained-pat", |r| format!("github_pat_{}_{}", r.string(ALNUM, 22), r.string(ALNUM, 59))),
    fmt!("github", "classic-pat", |r| github("ghp_", r)),
    fmt!("github", "oauth-token", |r| github("gho_", r)),
    fmt!("github", "user-to-server-token", |r| github("ghu_", r)),
    fmt!("github", "server-to-server-token", |r| github("ghs_", r)),
    fmt!("github", "refresh-token", |r| github("ghr_", r)),
    fmt!("gitlab", "pat", |r| format!("glpat-{}", r.string(URLSAFE, 20))),
    fmt!("gitlab", "pat", |r| gitlab_routable(r)),
    fmt!("gitlab", "deploy-token", |r| format!("gldt-{}", r.string(URLSAFE, 20))),
    fmt!("gitlab", "runner-token", |r| format!("glrt-{}", r.string(URLSAFE, 20))),
    fmt!("gitlab", "pipeline-trigger-token", |r| format!("glptt-{}", r.string(HEX, 40))),
    fmt!("gitlab", "oauth-application-secret", |r| format!("gloas-{}", r.string(URLSAFE, 64))),
    fmt!("google-cloud", "api-key", |r| format!("AIza{}", r.string(URLSAFE, 35))),
    fmt!("grafana", "service-account-token", |r| format!("glsa_{}_{}", r.string(ALNUM, 32), r.string(HEX, 8))),
    fmt!("grafana", "cloud-access-policy-token", |r| {
        let n = r.between(32, 120);
        format!("glc_{}", r.string(ALNUM, n))
    }),
    fmt!("grafana", "legacy-api-key", |r| {
        let n = r.between(70, 140);
        format!("eyJrIjoi{}", r.string(ALNUM, n))
    }),
    fmt!("hugging-face", "access-token", |r| format!("hf_{}", r.string(LETTERS, 34))),
    fmt!("hugging-face", "org-api-token", |r| format!("api_org_{}", r.string(LETTERS, 34))),
    fmt!("linear", "api-key", |r| format!("lin_api_{}", r.string(ALNUM, 40))),
    fmt!("openai", "project-key", |r| {
        let (a, b) = (r.between(58, 74), r.between(58, 74));
        format!("sk-proj-{}T3BlbkFJ{}", r.string(URLSAFE, a), r.string(URLSAFE, b))
    }),
    fmt!("openai", "service-account-key", |r| {
        let (a, b) = (r.between(58, 74), r.between(58, 74));
        format!("sk-svcacct-{}T3BlbkFJ{}", r.string(URLSAFE, a), r.string(URLSAFE, b))
    }),
    fmt!("openai", "admin-key", |r| {
        let (a, b) = (r.between(58, 74), r.between(58, 74));
        format!("sk-admin-{}T3BlbkFJ{}", r.string(URLSAFE, a), r.string(URLSAFE, b))
    }),
    fmt!("openai", "legacy-user-key", |r| format!("sk-{}T3BlbkFJ{}", r.string(ALNUM, 20), r.string(ALNUM, 20))),
    fmt!("sendgrid", "api-key", |r| format!("SG.{}.{}", r.string(URLSAFE, 22), r.string(URLSAFE, 43))),
    fmt!("sentry", "user-auth-token", |r| format!("sntryu_{}", r.string(HEX, 64))),
    fmt!("sentry", "org-auth-token", |r| {
        let n = r.between(20, 200);
        format!("sntrys_eyJ{}_{}", r.string(ALNUM, n), r.string(ALNUM, 43))
    }),
    fmt!("shopify", "admin-api-access-token", |r| format!("shpat_{}", r.string(MIXED_HEX, 32))),
    fmt!("shopify", "custom-app-access-token", |r| format!("shpca_{}", r.string(MIXED_HEX, 32))),
    fmt!("shopify", "private-app-password", |r| format!("shppa_{}", r.string(MIXED_HEX, 32))),
    fmt!("shopify", "shared-secret", |r| format!("shpss_{}", r.string(MIXED_HEX, 32))),
    fmt!("slack", "bot-token", |r| {
        let (a, b) = (r.between(10, 13), r.between(10, 13));
        format!("xoxb-{}-{}-{}", r.string(DIGITS, a), r.string(DIGITS, b), r.string(ALNUM, 24))
    }),
    fmt!("slack", "user-token", |r| {
        let (a, b, c) = (r.between(10, 13), r.between(10, 13), r.between(10, 13));
        format!("xoxp-{}-{}-{}-{}", r.string(DIGITS, a), r.string(DIGITS, b), r.string(DIGITS, c), r.string(HEX, 32))
    }),
    fmt!("slack", "app-token", |r| {
        let (a, b) = (r.between(9, 12), r.between(10, 14));
        format!("xapp-1-{}-{}-{}", r.string(UPPER_ALNUM, a), r.string(DIGITS, b), r.string(HEX, 64))
    }),
    fmt!("slack", "webhook-url", |r| format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        r.string(UPPER_ALNUM, 10),
        r.string(UPPER_ALNUM, 10),
        r.string(ALNUM, 24)
    )),
    fmt!("stripe", "secret-key-live", |r| {
        let n = r.between(24, 99);
        format!("sk_live_{}", r.string(ALNUM, n))
    }),
    fmt!("stripe", "secret-key-test", |r| {
        let n = r.between(24, 99);
        format!("sk_test_{}", r.string(ALNUM, n))
    }),
    fmt!("stripe", "restricted-key-live", |r| {
        let n = r.between(24, 99);
        format!("rk_live_{}", r.string(ALNUM, n))
    }),
    fmt!("stripe", "restricted-key-test", |r| {
        let n = r.between(24, 99);
        format!("rk_test_{}", r.string(ALNUM, n))
    }),
    fmt!("stripe", "webhook-signing-secret", |r| {
        let n = r.between(32, 64);
        format!("whsec_{}", r.string(ALNUM, n))
    }),
    fmt!("twilio", "api-key-sid", |r| format!("SK{}", r.string(HEX, 32))),
    fmt!("twilio", "account-sid", |r| format!("AC{}", r.string(HEX, 32))),
    fmt!("vercel", "access-token", |r| {
        let n = r.between(20, 100);
        format!("vcp_{}", r.string(ALNUM, n))
    }),
    fmt!("vercel", "integration-token", |r| {
        let n = r.between(20, 100);
        format!("vci_{}", r.string(ALNUM, n))
    }),
    fmt!("vercel", "app-access-token", |r| {
        let n = r.between(20, 100);
        format!("vca_{}", r.string(ALNUM, n))
    }),
    fmt!("vercel", "app-refresh-token", |r| {
        let n = r.between(20, 100);
        format!("vcr_{}", r.string(ALNUM, n))
    }),
    fmt!("vercel", "api-key", |r| {
        let n = r.between(20, 100);
        format!("vck_{}", r.string(ALNUM, n))
    }),
];

/// A sample of `format` that is no placeholder by the scanner's rules (a random string can spell
/// `your` or `1234567890`; real tokens can too, and are then missed: the price of precision).
pub fn sample(format: &Format, rng: &mut Rng) -> String {
    loop {
        let value = (format.make)(rng);
        if !tokenwarden_scan::is_placeholder(&value) {
            return value;
        }
    }
}

/// Values that look like tokens and are none, each with what makes it one: placeholders, documented
/// examples, wrong lengths, another provider's prefix in the wrong case, digests, UUIDs, base64.
pub fn near_misses(rng: &mut Rng) -> Vec<(&'static str, String)> {
    let glpat = rng.string(URLSAFE, 20);
    let hf = rng.string(LETTERS, 34);
    let ghp = github("ghp_", rng);
    let mut out = vec![
        ("placeholder", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_owned()),
        ("placeholder", "glpat-XXXXXXXXXXXXXXXXXXXX".to_owned()),
        ("placeholder", "<your-gitlab-token>".to_owned()),
        ("placeholder", "sk_live_YOUR_STRIPE_SECRET_KEY_HERE_1234".to_owned()),
        ("placeholder", "sk-proj-REPLACE_ME_WITH_YOUR_OPENAI_PROJECT_KEY_0000000000".to_owned()),
        ("placeholder", "hf_abababababababababababababababababab".to_owned()),
        ("placeholder", "xoxb-0000000000-0000000000-xxxxxxxxxxxxxxxxxxxxxxxx".to_owned()),
        ("placeholder", "AKIAXXXXXXXXXXXXXXXX".to_owned()),
        ("placeholder", "dop_v1_0000000000000000000000000000000000000000000000000000000000000000".to_owned()),
        ("documented example", "AKIAIOSFODNN7EXAMPLE".to_owned()),
        ("documented example", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned()),
        ("documented example", "ghp_16C7e42F292c6912E7710c838347Ae178B4a".to_owned()),
        ("documented example", "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy".to_owned()),
        ("wrong length", format!("glpat-{}", &glpat[..19])),
        ("wrong length", format!("glpat-{glpat}Q")),
        ("wrong length", format!("hf_{}", &hf[..33])),
        ("wrong length", format!("hf_{hf}Q")),
        ("wrong length", format!("sk-ant-api03-{}AA", rng.string(URLSAFE, 60))),
        ("wrong length", format!("cfut_{}", rng.string(ALNUM, 40))),
        ("wrong length", format!("cfut_{}", rng.string(ALNUM, 57))),
        ("wrong length", format!("AKIA{}", rng.string(UPPER_BASE32, 15))),
        ("wrong length", format!("dop_v1_{}", rng.string(HEX, 63))),
        ("wrong length", format!("shpat_{}", rng.string(HEX, 33))),
        ("wrong checksum", format!("{}{}", &ghp[..39], if ghp.ends_with('A') { 'B' } else { 'A' })),
        ("foreign prefix", format!("GLPAT-{glpat}")),
        ("foreign prefix", format!("GHP_{}", rng.string(ALNUM, 36))),
        ("foreign prefix", format!("Hf_{hf}")),
        ("foreign prefix", format!("SK_LIVE_{}", rng.string(ALNUM, 32))),
        ("foreign prefix", format!("xxx_{}", rng.string(ALNUM, 36))),
        ("foreign prefix", format!("XXX_{}", rng.string(ALNUM, 36))),
        ("digest", rng.string(HEX, 40)),
        ("digest", rng.string(HEX, 64)),
        ("digest", rng.string(HEX, 32)),
        ("digest", rng.string(b"0123456789ABCDEF", 40)),
        ("uuid", uuid(rng)),
        ("base64", base64ish(rng, 120)),
        ("base64", base64ish(rng, 44)),
    ];
    out.shrink_to_fit();
    out
}

/// A v4-shaped UUID.
pub fn uuid(rng: &mut Rng) -> String {
    let h = rng.string(HEX, 32);
    format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..])
}

/// Standard base64 of random bytes (`+`, `/`, padding), `len` characters.
pub fn base64ish(rng: &mut Rng, len: usize) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = rng.string(B64, len - 1);
    // Plenty of `+` and `/` as real base64 has; no run between them is a token's length.
    s = s
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 9 == 8 {
                if i % 2 == 0 {
                    '+'
                } else {
                    '/'
                }
            } else {
                c
            }
        })
        .collect();
    s.push('=');
    s
}
