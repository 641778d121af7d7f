// The monitor panel against the fake backend's scripted alerts: what it shows, Open, Acknowledge
// (the alert leaves), turning the monitor off, and a failing backend said in words.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { BackendError, type AlertView } from '../backend';
import { FAKE_NOW, FakeBackend } from '../backend/fake';
import { testContext } from '../testing';
import AlertsPanel from './AlertsPanel.svelte';

const HOUR = 3_600_000;
const NOW = Date.parse(FAKE_NOW);
const at = (offset: number) => new Date(NOW + offset).toISOString();

function alert(id: string, over: Partial<AlertView> = {}): AlertView {
  return {
    id,
    token_id: `tok-${id}`,
    token_name: `token ${id}`,
    kind: 'died',
    severity: 'high',
    evidence: 'GitLab refuses this token, and Tokenwarden did not revoke it.',
    raised_at: at(-2 * HOUR),
    ...over,
  };
}

function renderPanel(backend: FakeBackend) {
  const onOpenToken = vi.fn();
  render(AlertsPanel, { props: { now: NOW, onOpenToken }, context: testContext(backend) });
  return { onOpenToken };
}

describe('AlertsPanel', () => {
  it('shows each open alert with its token and evidence, and when the monitor ran and runs next', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    backend.openAlerts = [
      alert('a'),
      alert('b', { kind: 'drift', severity: 'medium', evidence: 'Scopes widened: api.' }),
    ];
    backend.monitor = { ...backend.monitor, last_run: at(-3 * HOUR), next_check: at(5 * HOUR) };
    const { onOpenToken } = renderPanel(backend);

    const rows = await screen.findAllByTestId('alert-row');
    expect(rows.map((r) => r.dataset['kind'])).toEqual(['died', 'drift']);
    expect(rows[0]).toHaveTextContent('Refused by the provider');
    expect(rows[0]).toHaveTextContent('token a');
    expect(rows[1]).toHaveTextContent('Scopes widened: api.');
    expect(screen.getByTestId('monitor-status')).toHaveTextContent(
      'Last checked 3 h ago · next check in 5 h.',
    );
    await fireEvent.click(screen.getAllByTestId('alert-open')[1] as HTMLElement);
    expect(onOpenToken).toHaveBeenCalledWith('tok-b');
  });

  it('acknowledging an alert removes it, and the last one leaves "No open alerts"', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    backend.openAlerts = [alert('a')];
    renderPanel(backend);
    const acknowledge = await screen.findByRole('button', {
      name: 'Acknowledge: Refused by the provider, token a',
    });
    await fireEvent.click(acknowledge);
    expect(await screen.findByTestId('alerts-empty')).toHaveTextContent('No open alerts.');
    expect(backend.log.some((c) => c.method === 'acknowledgeAlert' && c.args[0] === 'a')).toBe(
      true,
    );
    expect(backend.openAlerts).toEqual([]);
  });

  it('turns the monitor off and says so', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    renderPanel(backend);
    const toggle = await screen.findByTestId('monitor-toggle');
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await fireEvent.click(toggle);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-pressed', 'false'));
    expect(screen.getByTestId('monitor-status')).toHaveTextContent('Off: no token is checked');
    expect(backend.monitor.enabled).toBe(false);
  });

  it('says in words when the alerts cannot be read', async () => {
    const backend = new FakeBackend({ locked: false, tokens: [] });
    backend.failNext.alerts = new BackendError('internal', 'database error: disk I/O error');
    renderPanel(backend);
    expect(await screen.findByRole('alert')).toHaveTextContent('database error: disk I/O error');
  });
});
