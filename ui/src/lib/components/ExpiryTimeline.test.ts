// The dashboard's expiry timeline at a frozen clock: one mark per provider per week, expired
// tokens in their own column, hover or keyboard focus shows the tokens, click or Enter opens one,
// and 10,000 tokens still make a bounded number of marks.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { TokenView } from '../backend';
import { FAKE_NOW, blankTokenView } from '../backend/fake';
import { buildTimeline } from '../model/timeline';
import { daysFromNow } from '../testing';
import ExpiryTimeline from './ExpiryTimeline.svelte';

const NOW = Date.parse(FAKE_NOW);

// As Rust names them from the catalog; an id it does not know (npm here) stays as typed.
const NAMES: Record<string, string> = {
  github: 'GitHub',
  stripe: 'Stripe',
  gitlab: 'GitLab',
  openai: 'OpenAI',
  aws: 'Amazon Web Services',
};

function token(
  id: string,
  provider: string,
  expiresAt: string | null,
  extra: Partial<TokenView> = {},
) {
  const provider_name = NAMES[provider] ?? provider;
  return {
    ...blankTokenView(id, FAKE_NOW),
    name: id,
    provider,
    provider_name,
    expires_at: expiresAt,
    ...extra,
  };
}

// FAKE_NOW is Thursday 15 Jan 2026, 12:00 UTC: Friday 12:00–18:00 UTC falls in that same week in
// every time zone, so the three tokens there share a column.
const TOKENS: TokenView[] = [
  token('deploy bot', 'github', daysFromNow(1)),
  token('ci reader', 'github', daysFromNow(1, 6)),
  token('billing', 'stripe', daysFromNow(1, 3)),
  token('release', 'gitlab', daysFromNow(100)),
  token('old npm', 'npm', daysFromNow(-2)),
  token('forever', 'openai', null),
  token('next year', 'aws', daysFromNow(500)),
  token('gone', 'github', daysFromNow(10), { status: 'revoked' }),
];

function show(tokens: TokenView[] = TOKENS) {
  const onOpen = vi.fn();
  render(ExpiryTimeline, { props: { tokens, now: NOW, warnDays: 30, onOpen } });
  return { onOpen };
}

const marks = () => screen.queryAllByTestId('timeline-mark');
const count = (el: HTMLElement) => Number(el.dataset['count']);

describe('Expiry timeline', () => {
  it('draws one mark per provider per week, expired ones in their own column', () => {
    show();
    const drawn = marks().map((el) => `${el.dataset['provider']}:${el.dataset['count']}`);
    expect(drawn).toEqual(['npm:1', 'github:2', 'stripe:1', 'gitlab:1']);
    expect(marks()[0]).toHaveAttribute('data-expired', 'true');
    expect(screen.getByTestId('timeline-summary')).toHaveTextContent(
      '5 tokens on the chart · 1 later · 1 with no expiry',
    );
    expect(screen.getByTestId('timeline-warning-window')).toBeInTheDocument();
    expect(screen.getByText('Today')).toBeInTheDocument();
  });

  it('names each mark for screen readers and keeps one Tab stop', () => {
    show();
    expect(marks()[1]).toHaveAccessibleName(
      /^2 tokens of GitHub expiring in the week of .*: deploy bot, ci reader$/,
    );
    expect(marks().filter((el) => el.getAttribute('tabindex') === '0')).toHaveLength(1);
    const legend = screen.getByRole('list', { name: 'Providers' });
    expect(legend).toHaveTextContent('GitHub');
    expect(legend).not.toHaveTextContent('github');
  });

  it('keyboard focus shows the tokens, arrows move between marks, Enter opens one', async () => {
    const { onOpen } = show();
    const [expired, github, stripe, gitlab] = marks();
    expired!.focus();
    await fireEvent.focus(expired!);
    const readout = screen.getByTestId('timeline-readout');
    await waitFor(() => expect(readout).toHaveTextContent('old npm (npm)'));
    await fireEvent.keyDown(expired!, { key: 'ArrowRight' });
    expect(github).toHaveFocus();
    expect(readout).toHaveTextContent('deploy bot (GitHub)');
    expect(readout).toHaveTextContent('ci reader (GitHub)');
    await fireEvent.keyDown(github!, { key: 'ArrowUp' });
    expect(stripe).toHaveFocus();
    await fireEvent.keyDown(stripe!, { key: 'ArrowRight' });
    expect(gitlab).toHaveFocus();
    await fireEvent.keyDown(gitlab!, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith('release');
  });

  it('hover shows the token; a click opens a single token, or lists a group to choose from', async () => {
    const { onOpen } = show();
    const [, github, stripe] = marks();
    await fireEvent.mouseEnter(stripe!);
    expect(screen.getByTestId('timeline-readout')).toHaveTextContent('billing (Stripe)');
    await fireEvent.click(stripe!);
    expect(onOpen).toHaveBeenCalledWith('billing');
    await fireEvent.click(github!);
    const choices = within(screen.getByTestId('timeline-readout')).getAllByTestId(
      'timeline-open-token',
    );
    expect(choices.map((el) => el.textContent)).toEqual([
      expect.stringContaining('deploy bot'),
      expect.stringContaining('ci reader'),
    ]);
    await waitFor(() => expect(choices[0]).toHaveFocus());
    await fireEvent.click(choices[1]!);
    expect(onOpen).toHaveBeenLastCalledWith('ci reader');
  });

  it('stacks 10,000 tokens into a bounded number of marks that still count every one', () => {
    const providers = ['github', 'gitlab', 'stripe', 'openai', 'aws', 'npm', 'slack', 'other'];
    const many = Array.from({ length: 10_000 }, (_, i) =>
      token(`t${i}`, providers[i % providers.length]!, daysFromNow((i % 400) - 20, i % 24)),
    );
    const timeline = buildTimeline(many, NOW);
    show(many);
    const drawn = marks();
    expect(drawn.length).toBe(timeline.groups.length);
    expect(drawn.length).toBeLessThanOrEqual(54 * providers.length + providers.length);
    expect(drawn.reduce((sum, el) => sum + count(el), 0)).toBe(timeline.placed);
    expect(timeline.placed + timeline.later).toBe(10_000);
    // jsdom is slow at 10,000 rows of data on a busy machine; this is no timing assertion.
  }, 60_000);

  it('says so when nothing expires in the next 12 months', () => {
    show([token('forever', 'openai', null)]);
    expect(screen.getByTestId('timeline-empty')).toBeInTheDocument();
    expect(marks()).toHaveLength(0);
  });
});
