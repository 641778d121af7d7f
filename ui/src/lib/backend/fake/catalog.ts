// The fake backend's provider catalog: three providers that cover the UI's branches (GitHub:
// verify + revoke; GitLab: verify + rotate + revoke; Stripe: no API at all), and the detection
// answers tests script from it. Data only; no detector.
import type { Detection, ProviderInfo } from '../types';

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

/**
 * The answer detectSecret gives when a test scripts it: the provider and kind as this catalog
 * describes them, high confidence and no checksum unless the test says otherwise. The fake has
 * no detector of its own: which secret is what is the Rust side's job, tested there.
 */
export function fakeDetection(
  provider: string,
  kind: string,
  overrides: Partial<Pick<Detection, 'confidence' | 'checksum_verified'>> = {},
): Detection {
  const info = FAKE_CATALOG.find((p) => p.id === provider);
  const known = info?.kinds.find((k) => k.id === kind);
  if (!info || !known) throw new Error(`the fake catalog has no ${provider} ${kind}`);
  return {
    provider: info.id,
    provider_name: info.name,
    kind: known.id,
    kind_label: known.label,
    token_kind: known.token_kind as Detection['token_kind'],
    confidence: 'high',
    checksum_verified: false,
    default_lifetime_days: known.default_lifetime_days,
    manage_url: info.urls.manage,
    ...overrides,
  };
}
