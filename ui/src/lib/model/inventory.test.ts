// Search, filters, sort and the Attention view over plain TokenView lists at a fixed `now`.
import { describe, expect, it } from 'vitest';
import type { TokenView } from '../backend';
import { blankTokenView } from '../backend/fake';
import {
  attentionCounts,
  countBy,
  inView,
  matchesFilters,
  matchesQuery,
  NO_FILTERS,
  searchText,
  sortTokens,
  viewTitle,
} from './inventory';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const DAY = 86_400_000;
const T = { warn_days: 30, urgent_days: 7 };

function token(id: string, over: Partial<TokenView> = {}): TokenView {
  return {
    ...blankTokenView(id, '2026-01-01T00:00:00Z'),
    provider: 'github',
    provider_name: 'GitHub',
    hint: 'ghp_…abcd',
    ...over,
  };
}

const inDays = (days: number) => new Date(NOW + days * DAY).toISOString();

describe('sortTokens', () => {
  const tokens = [
    token('never', { expires_at: null, created_at: '2026-01-10T00:00:00Z' }),
    token('later', {
      expires_at: inDays(40),
      provider: 'aws',
      provider_name: 'Amazon Web Services',
    }),
    token('soon', { expires_at: inDays(2), provider: 'anthropic', provider_name: 'Anthropic' }),
    token('gone', { expires_at: inDays(-3), created_at: '2026-01-12T00:00:00Z' }),
  ];

  it('puts the soonest expiry first and no expiry last by default', () => {
    expect(sortTokens(tokens, 'time_left').map((t) => t.id)).toEqual([
      'gone',
      'soon',
      'later',
      'never',
    ]);
  });

  it('sorts by name, provider and recently added', () => {
    expect(sortTokens(tokens, 'name').map((t) => t.id)).toEqual(['gone', 'later', 'never', 'soon']);
    // By the provider's name as people read it: "Amazon Web Services" before "Anthropic",
    // although the ids sort the other way (aws after anthropic).
    expect(sortTokens(tokens, 'provider').map((t) => t.id)).toEqual([
      'later',
      'soon',
      'gone',
      'never',
    ]);
    expect(sortTokens(tokens, 'recent')[0]?.id).toBe('gone');
  });

  it('orders names ignoring case and accents, equal names by id, and the newest first', () => {
    const named = [
      token('b', { name: 'Zeta', created_at: '2026-01-02T00:00:00Z' }),
      token('c', { name: 'éclair', created_at: '2026-01-03T00:00:00Z' }),
      token('a', { name: 'ECLAIR', created_at: '2026-01-03T00:00:00Z' }),
      token('d', { name: 'alpha', created_at: '2026-01-01T00:00:00Z' }),
    ];
    expect(sortTokens(named, 'name').map((t) => t.id)).toEqual(['d', 'a', 'c', 'b']);
    expect(sortTokens(named, 'recent').map((t) => t.id)).toEqual(['a', 'c', 'b', 'd']);
  });
});

describe('search', () => {
  const t = token('x', {
    name: 'Deploy bot',
    account: 'acme-ci',
    environment: 'production',
    tags: ['ci'],
    notes: 'Rotated by Alice',
  });

  it('matches every term case-insensitively across the searchable fields', () => {
    const text = searchText(t);
    expect(matchesQuery(text, 'deploy')).toBe(true);
    expect(matchesQuery(text, 'ACME prod')).toBe(true);
    expect(matchesQuery(text, 'alice')).toBe(true);
    expect(matchesQuery(text, 'github ci')).toBe(true);
    expect(matchesQuery(text, 'deploy staging')).toBe(false);
    expect(matchesQuery(text, '   ')).toBe(true);
  });
});

describe('filters and views', () => {
  it('treats an active token past its expiry as expired', () => {
    const expired = token('e', { expires_at: inDays(-1) });
    expect(matchesFilters(expired, { ...NO_FILTERS, status: 'expired' }, NOW)).toBe(true);
    expect(matchesFilters(expired, { ...NO_FILTERS, status: 'active' }, NOW)).toBe(false);
  });

  it('keeps archived tokens out of every view but Archived', () => {
    const archived = token('a', { status: 'archived' });
    expect(inView(archived, { kind: 'all' }, NOW, T)).toBe(false);
    expect(inView(archived, { kind: 'provider', provider: 'github' }, NOW, T)).toBe(false);
    expect(inView(archived, { kind: 'archived' }, NOW, T)).toBe(true);
  });

  it('counts expired, expiring within warn_days and no-expiry tokens for Attention', () => {
    const tokens = [
      token('expired', { expires_at: inDays(-1) }),
      token('soon', { expires_at: inDays(10) }),
      token('fine', { expires_at: inDays(100) }),
      token('never', { expires_at: null }),
      token('revoked', { status: 'revoked', expires_at: null }),
    ];
    expect(attentionCounts(tokens, NOW, T)).toEqual({
      expired: 1,
      expiring: 1,
      no_expiry: 1,
      total: 3,
    });
    expect(tokens.filter((t) => inView(t, { kind: 'attention' }, NOW, T)).map((t) => t.id)).toEqual(
      ['expired', 'soon', 'never'],
    );
  });
});

describe('countBy and viewTitle', () => {
  it('counts each picked value once per token that carries it', () => {
    const tokens = [
      { ...blankTokenView('a', '2026-01-01T00:00:00Z'), tags: ['ci', 'prod'] },
      { ...blankTokenView('b', '2026-01-01T00:00:00Z'), tags: ['ci'] },
      { ...blankTokenView('c', '2026-01-01T00:00:00Z'), tags: [] },
    ];
    expect(countBy(tokens, (t) => t.tags)).toEqual({ ci: 2, prod: 1 });
    expect(countBy([], (t) => t.tags)).toEqual({});
  });

  it('titles each view the way the list pane shows it', () => {
    expect(viewTitle({ kind: 'attention' })).toBe('Needs attention');
    expect(viewTitle({ kind: 'all' })).toBe('All tokens');
    expect(viewTitle({ kind: 'archived' })).toBe('Archived');
    expect(viewTitle({ kind: 'provider', provider: 'GitHub' })).toBe('GitHub');
    expect(viewTitle({ kind: 'tag', tag: 'ci' })).toBe('#ci');
    expect(viewTitle({ kind: 'settings' })).toBe('Settings');
  });
});
