//! Providers, checks, rotation and revocation.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TokenView;

/// A catalog entry with what this vault knows about it.
#[derive(Debug, Serialize, TS)]
pub struct ProviderView {
    pub info: tokenwarden_providers::catalog::Provider,
    /// False until the first check at this provider: the UI shows `info.verify_effect` and asks first.
    pub checked_before: bool,
    /// Where checks go, after the setting and environment overrides.
    pub api_base: Option<String>,
}

/// Which of a provider's pages to open.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProviderPage {
    Create,
    Manage,
    Rotate,
    Revoke,
    Docs,
}

/// A check's result with the token as it now is.
#[derive(Debug, Serialize, TS)]
pub struct VerifyOutcome {
    pub token: TokenView,
    #[serde(flatten)]
    #[ts(flatten)]
    pub report: tokenwarden_core::verification::VerifyReport,
}

/// One step of a rotation, as the wizard asks for it. No Debug: `store_secret` holds a secret.
#[derive(Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum RotationAction {
    /// started → new_stored: the person pasted the new token.
    StoreSecret {
        #[ts(type = "string")]
        secret: SecretString,
        expires_at: Option<String>,
    },
    /// started → new_stored: the provider issues the new token.
    ApiRotate {
        expires_at: Option<String>,
    },
    /// new_stored → verified by the provider's check.
    Verify,
    /// new_stored → verified on the person's word (providers without a check API).
    ConfirmWorks,
    Tick {
        usage_id: String,
        done: bool,
    },
    ConsumersDone,
    Promote,
    RevokeOld {
        how: tokenwarden_core::revocation::RevokeHow,
    },
    Finish,
    Abort,
}

/// Where one provider's API requests go, and why.
#[derive(Debug, Serialize, TS)]
pub struct ProviderApiUrl {
    pub provider: String,
    pub name: String,
    /// The provider's real API address.
    pub default_url: String,
    /// The vault's setting (a self-hosted GitLab, say); wins over everything.
    pub url: Option<String>,
    /// `TOKENWARDEN_API_<PROVIDER>` from the environment, when set; wins over the default.
    pub env_url: Option<String>,
}
