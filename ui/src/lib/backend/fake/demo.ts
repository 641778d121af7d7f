// A small, varied demo inventory for previews and screenshots. Data only.
import type { TokenKind } from '../types';
import { DAY_MS } from './state';
import type { FakeSeed } from './types';

/** A small, varied inventory relative to `now`, for previews and screenshots. */
export function demoSeeds(now: Date): FakeSeed[] {
  const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
  const kind = (k: TokenKind) => k;
  return [
    {
      name: 'deploy bot',
      provider: 'github',
      kind: kind('personal_access_token'),
      secret: 'ghp_0123456789abcdefa1B2',
      account: 'acme-ci',
      environment: 'production',
      scopes: ['repo', 'workflow'],
      tags: ['ci'],
      expires_at: inDays(6),
    },
    {
      name: 'release pipeline',
      provider: 'gitlab',
      kind: kind('personal_access_token'),
      secret: 'glpat-xxxxxxxxxxxxZz99',
      environment: 'production',
      tags: ['ci', 'release'],
      expires_at: inDays(25),
    },
    {
      name: 'billing webhooks',
      provider: 'stripe',
      kind: kind('webhook_secret'),
      secret: 'whsec_abcdefgh1234',
      environment: 'staging',
      expires_at: null,
    },
    {
      name: 'old npm publish',
      provider: 'npm',
      secret: 'npm_qwertyuiopQW12',
      expires_at: inDays(-2),
    },
    {
      name: 'chat summariser',
      provider: 'openai',
      secret: 'sk-abcdefghijklmn77',
      tags: ['ml'],
      expires_at: inDays(240),
    },
  ];
}
