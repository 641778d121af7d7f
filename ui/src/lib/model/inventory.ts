// Which tokens a view shows and in what order (search, filters, sort, the Attention view), and the
// view titles and counts. Pure functions over the lean TokenRow[] and `now`, fast enough for every keystroke.
import type { Settings, TokenStatus, TokenRow } from '../backend';
import { DAY, isInactive } from './countdown';

export type View =
  | { kind: 'attention' }
  | { kind: 'all' }
  | { kind: 'archived' }
  | { kind: 'provider'; provider: string }
  | { kind: 'tag'; tag: string };

/** Whole-page views shown instead of the list and detail panes. */
export type Page = { kind: 'dashboard' } | { kind: 'health' } | { kind: 'settings' };

export function isPage(view: View | Page): view is Page {
  return view.kind === 'dashboard' || view.kind === 'health' || view.kind === 'settings';
}

export type SortKey = 'time_left' | 'name' | 'provider' | 'recent';

export interface Filters {
  provider: string;
  status: '' | TokenStatus;
  tag: string;
  environment: string;
}

export const NO_FILTERS: Filters = { provider: '', status: '', tag: '', environment: '' };

type Thresholds = Pick<Settings, 'warn_days' | 'urgent_days'>;

/** The status a person would expect: an active token past its expiry is expired. */
export function effectiveStatus(token: TokenRow, now: number): TokenStatus {
  if (
    (token.status === 'active' || token.status === 'rotating') &&
    token.expires_at !== null &&
    Date.parse(token.expires_at) <= now
  ) {
    return 'expired';
  }
  return token.status;
}

export type AttentionReason = 'expired' | 'expiring' | 'no_expiry';

/** Why a live token needs a look, or null when it does not. */
export function attentionReason(
  token: TokenRow,
  now: number,
  thresholds: Thresholds,
): AttentionReason | null {
  if (isInactive(token)) return null;
  if (token.status === 'expired') return 'expired';
  if (token.expires_at === null) return 'no_expiry';
  // As `effectiveStatus`, with the expiry parsed once (this runs for every token at unlock).
  const at = Date.parse(token.expires_at);
  if ((token.status === 'active' || token.status === 'rotating') && at <= now) return 'expired';
  return at - now <= thresholds.warn_days * DAY ? 'expiring' : null;
}

export interface AttentionCounts {
  expired: number;
  expiring: number;
  no_expiry: number;
  total: number;
}

export function attentionCounts(
  tokens: readonly TokenRow[],
  now: number,
  thresholds: Thresholds,
): AttentionCounts {
  const counts: AttentionCounts = { expired: 0, expiring: 0, no_expiry: 0, total: 0 };
  for (const token of tokens) {
    const reason = attentionReason(token, now, thresholds);
    if (reason) {
      counts[reason] += 1;
      counts.total += 1;
    }
  }
  return counts;
}

export function inView(token: TokenRow, view: View, now: number, thresholds: Thresholds): boolean {
  const archived = token.status === 'archived';
  switch (view.kind) {
    case 'archived':
      return archived;
    case 'all':
      return !archived;
    case 'attention':
      return attentionReason(token, now, thresholds) !== null;
    case 'provider':
      return !archived && token.provider === view.provider;
    case 'tag':
      return !archived && token.tags.includes(view.tag);
  }
}

/** The lower-cased text search looks in; cache it per token. */
export function searchText(token: TokenRow): string {
  return [
    token.name,
    token.account,
    token.environment,
    token.provider,
    token.provider_name,
    token.hint,
    token.notes,
    ...token.tags,
  ]
    .filter((part) => part)
    .join('\n')
    .toLowerCase();
}

/** Every whitespace-separated term of the query must appear somewhere in the token's text. */
export function matchesQuery(haystack: string, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.every((term) => haystack.includes(term));
}

export function matchesFilters(token: TokenRow, filters: Filters, now: number): boolean {
  if (filters.provider && token.provider !== filters.provider) return false;
  if (filters.tag && !token.tags.includes(filters.tag)) return false;
  if (filters.environment && token.environment !== filters.environment) return false;
  if (filters.status && effectiveStatus(token, now) !== filters.status) return false;
  return true;
}

function expiryKey(token: TokenRow): number {
  return token.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(token.expires_at);
}

// One collator for every comparison: `localeCompare` with options builds a new one per call, which
// made sorting 10,000 tokens take about 100 ms.
const nameOrder = new Intl.Collator(undefined, { sensitivity: 'base' });
const textOrder = new Intl.Collator();

const byName = (a: TokenRow, b: TokenRow) =>
  nameOrder.compare(a.name, b.name) || textOrder.compare(a.id, b.id);

/** A new sorted array; time left puts the soonest (and already expired) first, no expiry last. */
export function sortTokens<T extends TokenRow>(tokens: readonly T[], key: SortKey): T[] {
  const sorted = [...tokens];
  switch (key) {
    case 'time_left': {
      const keys = new Map(sorted.map((t) => [t.id, expiryKey(t)]));
      return sorted.sort((a, b) => {
        const ka = keys.get(a.id) ?? 0;
        const kb = keys.get(b.id) ?? 0;
        return ka === kb ? byName(a, b) : ka < kb ? -1 : 1;
      });
    }
    case 'name':
      return sorted.sort(byName);
    case 'provider':
      return sorted.sort(
        (a, b) => textOrder.compare(a.provider_name, b.provider_name) || byName(a, b),
      );
    case 'recent': {
      const created = new Map(sorted.map((t) => [t.id, Date.parse(t.created_at)]));
      return sorted.sort(
        (a, b) => (created.get(b.id) ?? 0) - (created.get(a.id) ?? 0) || byName(a, b),
      );
    }
  }
}

/** Distinct non-empty values of one field, sorted, for the sidebar and filter menus. */
export function distinct(tokens: readonly TokenRow[], pick: (t: TokenRow) => string[]): string[] {
  const values = new Set<string>();
  for (const token of tokens) for (const value of pick(token)) if (value) values.add(value);
  return [...values].sort((a, b) => a.localeCompare(b));
}

/** How many tokens carry each value `pick` returns (a provider, a tag): the sidebar's counts. */
export function countBy(
  tokens: readonly TokenRow[],
  pick: (t: TokenRow) => string[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const token of tokens) for (const key of pick(token)) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** The heading of a view (and of Settings), as the list pane and its landmark show it. */
/** Each provider id among the tokens, with the name the catalog gives it ("Hugging Face"). */
export function providerNames(tokens: readonly TokenRow[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const token of tokens) names[token.provider] = token.provider_name;
  return names;
}

/** The heading of a view; a provider's view is titled with its name, not its id. */
export function viewTitle(view: View | Page, names: Readonly<Record<string, string>> = {}): string {
  switch (view.kind) {
    case 'attention':
      return 'Needs attention';
    case 'all':
      return 'All tokens';
    case 'archived':
      return 'Archived';
    case 'provider':
      return names[view.provider] ?? view.provider;
    case 'tag':
      return `#${view.tag}`;
    case 'settings':
      return 'Settings';
    case 'dashboard':
      return 'Dashboard';
    case 'health':
      return 'Health';
  }
}
