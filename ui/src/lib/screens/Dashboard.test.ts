// The dashboard inside the unlocked shell: the landing view, with the timeline of the seeded
// tokens and the health summary; a mark opens its token, the summary leads to Health.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../backend/fake';
import { daysFromNow } from '../testing';
import { showInventory } from './showInventory';

function show(script: (backend: FakeBackend) => void = () => undefined) {
  const backend = new FakeBackend({
    locked: false,
    tokens: [
      { name: 'deploy bot', provider: 'github', expires_at: daysFromNow(6) },
      { name: 'billing', provider: 'stripe', expires_at: daysFromNow(90) },
      { name: 'forever', provider: 'openai', expires_at: null },
    ],
    findings: [
      {
        token: 'forever',
        kind: 'no_expiry',
        severity: 'low',
        evidence: 'has no expiry date',
        fix: 'set_expiry',
      },
      {
        token: 'deploy bot',
        kind: 'expires_soon',
        severity: 'medium',
        evidence: 'expires in 6 days',
        fix: 'rotate',
      },
    ],
  });
  script(backend);
  showInventory(backend);
  return backend;
}

describe('Dashboard', () => {
  it('is the landing view: a mark per seeded token group and the health summary', async () => {
    show();
    expect(screen.getByTestId('dashboard')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('timeline-mark')).toHaveLength(2));
    const summary = screen.getByTestId('health-summary');
    await waitFor(() =>
      expect(within(summary).getByTestId('health-summary-medium')).toHaveTextContent('1 medium'),
    );
    expect(within(summary).getByTestId('health-summary-low')).toHaveTextContent('1 low');
    expect(within(summary).getByTestId('health-summary-high')).toHaveTextContent('0 high');
  });

  it('opens a token from its mark, in the inventory', async () => {
    show();
    const [first] = await screen.findAllByTestId('timeline-mark');
    await fireEvent.click(first!);
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot');
    expect(screen.queryByTestId('dashboard')).toBeNull();
  });

  it('leads to Health and to All tokens', async () => {
    show();
    await fireEvent.click(screen.getByTestId('health-summary-open'));
    expect(await screen.findByTestId('health-view')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('nav-dashboard'));
    await fireEvent.click(screen.getByTestId('dashboard-all-tokens'));
    expect(await screen.findAllByTestId('token-row')).toHaveLength(3);
  });

  it('shows the monitor’s open alerts, and one opens its token', async () => {
    show((backend) => {
      const deploy = [...backend.tokens.values()].find((t) => t.view.name === 'deploy bot');
      backend.openAlerts = [
        {
          id: 'alert-1',
          token_id: deploy?.view.id ?? '',
          token_name: 'deploy bot',
          kind: 'still_in_use',
          severity: 'high',
          evidence: 'Used 2 days after it was replaced.',
          raised_at: daysFromNow(-1),
        },
      ];
    });
    const panel = await screen.findByTestId('alerts-panel');
    const row = await within(panel).findByTestId('alert-row');
    expect(row).toHaveTextContent('Still used after rotation');
    expect(row).toHaveTextContent('Used 2 days after it was replaced.');
    await fireEvent.click(within(row).getByTestId('alert-open'));
    await waitFor(() => expect(screen.getByTestId('detail-name')).toHaveTextContent('deploy bot'));
  });
});
