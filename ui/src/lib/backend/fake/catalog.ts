// The fake backend's provider catalog and secret detection: three providers that cover the
// UI's branches (GitHub: verify + revoke; GitLab: verify + rotate + revoke, rotating invalidates
// the old token; Stripe: no API at all). Data only; FakeBackend holds the state.
import type { Detection, ProviderInfo } from '../types';

/** Providers whose API rotation invalidates the old token at once (see Rotation.old_invalidated). */
export const FAKE_ROTATE_INVALIDATES = new Set(['gitlab']);

export const FAKE_CATALOG: readonly ProviderInfo[] = [
  {
    id: 'github',
    name: 'GitHub',
    sources: ['https://docs.github.com/en/rest'],
    urls: {
      create: 'https://github.com/settings/personal-access-tokens/new',
      manage: 'https://github.com/settings/tokens',
      rotate: null,
      revoke: 'https://github.com/settings/tokens',
      docs: 'https://docs.github.com/en/authentication',
    },
    api_base: 'https://api.github.com',
    api: { verify: true, last_used: false, rotate: false, revoke: true },
    verify_effect:
      'send one GET /user request with the token; GitHub may count it as the token being used.',
    rotation_steps: [
      'Open GitHub → Settings → Developer settings → Personal access tokens.',
      'Generate a new token with the same scopes and expiry.',
      'Copy it and paste it here.',
    ],
    revocation_steps: [
      'Open GitHub → Settings → Developer settings → Personal access tokens.',
      'Find the token by its name and choose Delete.',
    ],
    dangerous_scopes: ['delete_repo', 'admin:org', 'admin:enterprise', 'site_admin'],
    kinds: [
      {
        id: 'classic_pat',
        label: 'Classic PAT',
        token_kind: 'personal_access_token',
        default_lifetime_days: 30,
        max_lifetime_days: null,
      },
      {
        id: 'fine_grained_pat',
        label: 'Fine-grained PAT',
        token_kind: 'personal_access_token',
        default_lifetime_days: 30,
        max_lifetime_days: 366,
      },
    ],
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    sources: ['https://docs.gitlab.com/api/personal_access_tokens/'],
    urls: {
      create: 'https://gitlab.com/-/user_settings/personal_access_tokens',
      manage: 'https://gitlab.com/-/user_settings/personal_access_tokens',
      rotate: 'https://gitlab.com/-/user_settings/personal_access_tokens',
      revoke: 'https://gitlab.com/-/user_settings/personal_access_tokens',
      docs: 'https://docs.gitlab.com/user/profile/personal_access_tokens/',
    },
    api_base: 'https://gitlab.com/api/v4',
    api: { verify: true, last_used: true, rotate: true, revoke: true },
    verify_effect: 'send one GET /personal_access_tokens/self request with the token.',
    rotation_steps: [
      'Open GitLab → Preferences → Access tokens.',
      'Add a new token with the same scopes.',
      'Copy it and paste it here.',
    ],
    revocation_steps: ['Open GitLab → Preferences → Access tokens.', 'Choose Revoke on the token.'],
    dangerous_scopes: ['api', 'sudo', 'admin_mode'],
    kinds: [
      {
        id: 'pat',
        label: 'Personal access token',
        token_kind: 'personal_access_token',
        default_lifetime_days: 30,
        max_lifetime_days: 365,
      },
    ],
  },
  {
    id: 'stripe',
    name: 'Stripe',
    sources: ['https://docs.stripe.com/keys'],
    urls: {
      create: 'https://dashboard.stripe.com/apikeys',
      manage: 'https://dashboard.stripe.com/apikeys',
      rotate: 'https://dashboard.stripe.com/apikeys',
      revoke: 'https://dashboard.stripe.com/apikeys',
      docs: 'https://docs.stripe.com/keys',
    },
    api_base: null,
    api: { verify: false, last_used: false, rotate: false, revoke: false },
    verify_effect: null,
    rotation_steps: [
      'Open the Stripe dashboard → Developers → API keys.',
      'Choose Roll key on the key, and pick when the old one expires.',
      'Copy the new key and paste it here.',
    ],
    revocation_steps: [
      'Open the Stripe dashboard → Developers → API keys.',
      'Choose Roll key and let the old key expire now.',
    ],
    dangerous_scopes: [],
    kinds: [
      {
        id: 'secret_key',
        label: 'Secret key',
        token_kind: 'api_key',
        default_lifetime_days: null,
        max_lifetime_days: null,
      },
    ],
  },
];

interface Rule {
  prefix: string;
  provider: string;
  kind: string;
  /** Real GitHub tokens end in a CRC32 checksum; the fake calls 40-character ones valid. */
  checksumLength?: number;
  confidence: Detection['confidence'];
}

const RULES: Rule[] = [
  { prefix: 'github_pat_', provider: 'github', kind: 'fine_grained_pat', confidence: 'high' },
  {
    prefix: 'ghp_',
    provider: 'github',
    kind: 'classic_pat',
    checksumLength: 40,
    confidence: 'high',
  },
  { prefix: 'glpat-', provider: 'gitlab', kind: 'pat', confidence: 'high' },
  { prefix: 'sk_live_', provider: 'stripe', kind: 'secret_key', confidence: 'medium' },
];

/** What the Rust detector would say about a secret, from the rules above. */
export function fakeDetect(secret: string): Detection | null {
  const trimmed = secret.trim();
  const rule = RULES.find((r) => trimmed.startsWith(r.prefix));
  if (!rule || trimmed.length <= rule.prefix.length) return null;
  const info = FAKE_CATALOG.find((p) => p.id === rule.provider);
  const kind = info?.kinds.find((k) => k.id === rule.kind);
  if (!info || !kind) return null;
  return {
    provider: info.id,
    provider_name: info.name,
    kind: kind.id,
    kind_label: kind.label,
    token_kind: kind.token_kind as Detection['token_kind'],
    confidence: rule.confidence,
    checksum_verified: rule.checksumLength !== undefined && trimmed.length === rule.checksumLength,
    default_lifetime_days: kind.default_lifetime_days,
    manage_url: info.urls.manage,
  };
}
