// The Health view inside the unlocked shell, over the fake's scripted findings: grouped by kind,
// counted by severity in the sidebar, and each fix button opening its flow or doing it — after
// which the finding is gone without a reload.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, type FakeFinding, type FakeSeed } from '../backend/fake';
import { daysFromNow } from '../testing';
import { showInventory } from './showInventory';

const SEEDS: FakeSeed[] = [
  { name: 'deploy bot', provider: 'github', secret: 'ghp_healthview0123SECRET', expires_at: null },
  { name: 'old stripe', provider: 'stripe', expires_at: daysFromNow(-3) },
  { name: 'ci reader', provider: 'gitlab', expires_at: daysFromNow(200), scopes: ['read_api'] },
  { name: 'never checked', provider: 'github', expires_at: daysFromNow(100) },
];

const FINDINGS: FakeFinding[] = [
  {
    token: 'deploy bot',
    kind: 'no_expiry',
    severity: 'low',
    evidence: 'has no expiry date: a leaked copy works for ever',
    fix: 'set_expiry',
    resolvedWhen: (t) => t.expires_at !== null,
  },
  {
    token: 'old stripe',
    kind: 'expired_but_active',
    severity: 'high',
    evidence: 'expired 3 days ago and is still marked active',
    fix: 'revoke',
  },
  {
    token: 'ci reader',
    kind: 'review_due',
    severity: 'low',
    evidence: 'its scopes were last reviewed 200 days ago',
    fix: 'mark_reviewed',
  },
  {
    token: 'never checked',
    kind: 'never_checked',
    severity: 'low',
    evidence: 'never checked at the provider',
    fix: 'verify_now',
    resolvedWhen: (t) => t.last_verified_at !== null,
  },
  {
    token: 'deploy bot',
    kind: 'over_privileged',
    severity: 'medium',
    evidence: 'holds powerful scopes: delete_repo',
    fix: 'rotate',
  },
];

async function showHealth(checkedProviders: string[] = []) {
  const backend = new FakeBackend({
    tokens: SEEDS,
    findings: FINDINGS,
    locked: false,
    checkedProviders,
  });
  showInventory(backend);
  await fireEvent.click(screen.getByTestId('nav-health'));
  await screen.findAllByTestId('finding');
  return backend;
}

function finding(kind: string): HTMLElement {
  const found = screen.queryAllByTestId('finding').find((el) => el.dataset['kind'] === kind);
  if (!found) throw new Error(`no ${kind} finding shown`);
  return found;
}

const shownKinds = () => screen.queryAllByTestId('finding').map((el) => el.dataset['kind']);

describe('Health view', () => {
  it('groups findings by kind, most severe first, naming the token and the evidence', async () => {
    await showHealth();
    const groups = screen.getAllByTestId('finding-group').map((el) => el.dataset['kind']);
    expect(groups).toEqual([
      'expired_but_active',
      'over_privileged',
      'no_expiry',
      'review_due',
      'never_checked',
    ]);
    const row = finding('expired_but_active');
    expect(within(row).getByTestId('finding-token')).toHaveTextContent('old stripe');
    expect(within(row).getByTestId('finding-evidence')).toHaveTextContent('expired 3 days ago');
    expect(within(row).getByText('High')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Revoke… old stripe' })).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('SECRET');
  });

  it('counts open findings by severity in the sidebar', async () => {
    await showHealth();
    expect(screen.getByTestId('health-count-high')).toHaveTextContent('1');
    expect(screen.getByTestId('health-count-medium')).toHaveTextContent('1');
    expect(screen.getByTestId('health-count-low')).toHaveTextContent('3');
    expect(screen.getByTestId('nav-health')).toHaveAccessibleName(
      'Health: 1 high, 1 medium, 3 low',
    );
  });

  it('Mark reviewed records the review and the finding disappears', async () => {
    const backend = await showHealth();
    await fireEvent.click(within(finding('review_due')).getByTestId('finding-fix'));
    await waitFor(() => expect(shownKinds()).not.toContain('review_due'));
    expect(backend.log.some((c) => c.method === 'markScopesReviewed')).toBe(true);
    expect(screen.getByTestId('health-count-low')).toHaveTextContent('2');
  });

  it('Set expiry opens the token form; saving an expiry removes the finding', async () => {
    await showHealth();
    await fireEvent.click(within(finding('no_expiry')).getByTestId('finding-fix'));
    const form = await screen.findByTestId('token-form');
    expect(within(form).getByTestId('field-name')).toHaveValue('deploy bot');
    await fireEvent.change(within(form).getByTestId('expiry-preset'), { target: { value: '90' } });
    await fireEvent.click(within(form).getByTestId('form-submit'));
    await waitFor(() => expect(shownKinds()).not.toContain('no_expiry'));
    expect(screen.getByTestId('health-view')).toBeInTheDocument();
  });

  it('Revoke… opens the revoke dialog; revoking removes the finding', async () => {
    await showHealth();
    await fireEvent.click(within(finding('expired_but_active')).getByTestId('finding-fix'));
    expect(await screen.findByTestId('revoke-dialog')).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveAccessibleName(/old stripe/);
    await fireEvent.click(await screen.findByTestId('revoke-confirmed'));
    await screen.findByTestId('revoke-result');
    await waitFor(() => expect(shownKinds()).not.toContain('expired_but_active'));
  });

  it('Rotate… opens the rotation wizard for the token', async () => {
    await showHealth();
    await fireEvent.click(within(finding('over_privileged')).getByTestId('finding-fix'));
    expect(await screen.findByTestId('rotation-wizard')).toBeInTheDocument();
  });

  it('Verify now asks first at a new provider, then checks, and the finding disappears', async () => {
    const backend = await showHealth();
    await fireEvent.click(within(finding('never_checked')).getByTestId('finding-fix'));
    await fireEvent.click(await screen.findByTestId('verify-confirm'));
    await waitFor(() => expect(shownKinds()).not.toContain('never_checked'));
    expect(backend.log.filter((c) => c.method === 'verifyToken')).toHaveLength(1);
  });

  it('Dismiss… needs a reason, then hides the finding', async () => {
    const backend = await showHealth();
    await fireEvent.click(within(finding('over_privileged')).getByTestId('finding-dismiss'));
    const reason = await screen.findByTestId('dismiss-reason');
    await waitFor(() => expect(reason).toHaveFocus());
    await fireEvent.click(screen.getByTestId('dismiss-confirm'));
    expect(await screen.findByTestId('dismiss-error')).toHaveTextContent('Say why');
    await fireEvent.input(reason, { target: { value: 'needed to delete test repos' } });
    await fireEvent.submit(screen.getByTestId('dismiss-form'));
    await waitFor(() => expect(shownKinds()).not.toContain('over_privileged'));
    expect(backend.dismissed.get(`over_privileged:tok-1`)).toBe('needed to delete test repos');
  });

  it('the token name opens the token in the inventory', async () => {
    await showHealth();
    await fireEvent.click(within(finding('review_due')).getByTestId('finding-token'));
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('ci reader');
  });

  it('counts findings from a summary at unlock and fetches every finding only while Health is open', async () => {
    const backend = new FakeBackend({ tokens: SEEDS, findings: FINDINGS, locked: false });
    showInventory(backend);
    await waitFor(() => expect(screen.getByTestId('health-count-high')).toHaveTextContent('1'));
    expect(screen.getByTestId('health-count-low')).toHaveTextContent('3');
    const calls = (method: string) => backend.log.filter((c) => c.method === method).length;
    expect(calls('healthSummary')).toBeGreaterThan(0);
    expect(calls('healthFindings')).toBe(0);
    expect(calls('listTokens')).toBe(0);
    expect(calls('listTokenRows')).toBe(1);

    await fireEvent.click(screen.getByTestId('nav-health'));
    await screen.findAllByTestId('finding');
    expect(calls('healthFindings')).toBe(1);

    // A fix made here reloads both the findings and the counts.
    await fireEvent.click(within(finding('review_due')).getByTestId('finding-fix'));
    await waitFor(() => expect(shownKinds()).not.toContain('review_due'));
    await waitFor(() => expect(screen.getByTestId('health-count-low')).toHaveTextContent('2'));
    expect(calls('healthFindings')).toBe(2);

    // Away from Health nothing fetches the findings; back there they are fetched afresh.
    await fireEvent.click(screen.getByTestId('nav-dashboard'));
    expect(screen.queryByTestId('finding')).toBeNull();
    await fireEvent.click(screen.getByTestId('nav-health'));
    await screen.findAllByTestId('finding');
    expect(calls('healthFindings')).toBe(3);
    expect(shownKinds()).not.toContain('review_due');
  });

  it('says so when nothing is wrong', async () => {
    const backend = new FakeBackend({ tokens: SEEDS, locked: false });
    showInventory(backend);
    await fireEvent.click(screen.getByTestId('nav-health'));
    expect(await screen.findByTestId('health-empty')).toBeInTheDocument();
  });
});
