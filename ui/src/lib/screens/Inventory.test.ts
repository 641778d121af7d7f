// The inventory at a frozen clock: order, countdown words and urgency classes, search, filters,
// views, the empty state, text-only rendering of token data and the virtual list.
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { BackendError, DEFAULT_SETTINGS, type Settings } from '../backend';
import { FakeBackend, fakeDetection, type FakeSeed } from '../backend/fake';
import { daysFromNow } from '../testing';
import { showInventory } from './showInventory';

const SEEDS: FakeSeed[] = [
  {
    name: 'chat summariser',
    provider: 'openai',
    secret: 'sk-abcdefghijklmn77',
    tags: ['ml'],
    expires_at: daysFromNow(240),
  },
  {
    name: 'deploy bot',
    provider: 'github',
    secret: 'ghp_0123456789abcdefa1B2',
    account: 'acme-ci',
    environment: 'production',
    tags: ['ci'],
    expires_at: daysFromNow(6),
  },
  { name: 'billing webhooks', provider: 'stripe', environment: 'staging', expires_at: null },
  { name: 'old npm publish', provider: 'npm', expires_at: daysFromNow(-2) },
  {
    name: 'release pipeline',
    provider: 'gitlab',
    environment: 'production',
    tags: ['ci'],
    expires_at: daysFromNow(35),
  },
  { name: 'in a moment', provider: 'slack', expires_at: daysFromNow(0, 3) },
  { name: 'next month', provider: 'aws', expires_at: daysFromNow(20) },
  { name: 'retired', provider: 'github', status: 'revoked', expires_at: daysFromNow(50) },
  { name: 'shelved', provider: 'github', status: 'archived', expires_at: daysFromNow(50) },
];

/**
 * Shows the inventory over `backend` at FAKE_NOW: the screen lands on the dashboard, and the
 * list is one click away on "All tokens".
 */
function show(backend: FakeBackend, settings: Settings = { ...DEFAULT_SETTINGS }) {
  const shown = showInventory(backend, settings);
  void fireEvent.click(screen.getByTestId('nav-all'));
  return shown;
}

function renderInventory(seeds: FakeSeed[] = SEEDS, settings: Settings = { ...DEFAULT_SETTINGS }) {
  const backend = new FakeBackend({ tokens: seeds, locked: false });
  return { backend, ...show(backend, settings) };
}

const names = () => screen.queryAllByTestId('token-name').map((el) => el.textContent);

function row(name: string): HTMLElement {
  const found = screen
    .getAllByTestId('token-row')
    .find((el) => within(el).getByTestId('token-name').textContent === name);
  if (!found) throw new Error(`no row named ${name}`);
  return found;
}

async function loaded() {
  await screen.findAllByTestId('token-row');
}

describe('Inventory list', () => {
  it('lists live tokens soonest-expiring first, no expiry last, archived hidden', async () => {
    renderInventory();
    await loaded();
    expect(names()).toEqual([
      'old npm publish',
      'in a moment',
      'deploy bot',
      'next month',
      'release pipeline',
      'retired',
      'chat summariser',
      'billing webhooks',
    ]);
  });

  it('shows countdown words with the urgency as a class and a word', async () => {
    renderInventory();
    await loaded();
    const cases: [string, string, string][] = [
      ['old npm publish', 'expired 2 days ago', 'urgency-expired'],
      ['in a moment', 'expires in 3 h', 'urgency-urgent'],
      ['deploy bot', 'expires in 6 days', 'urgency-urgent'],
      ['next month', 'expires in 3 weeks', 'urgency-warning'],
      ['release pipeline', 'expires in 5 weeks', 'urgency-calm'],
      ['chat summariser', 'expires in 8 months', 'urgency-calm'],
      ['billing webhooks', 'no expiry', 'urgency-calm'],
      ['retired', 'revoked', 'urgency-inactive'],
    ];
    for (const [name, words, urgency] of cases) {
      const countdown = within(row(name)).getByTestId('token-countdown');
      expect(countdown, name).toHaveTextContent(words);
      expect(countdown, name).toHaveClass(urgency);
    }
    // Never colour alone: the urgency is also spelled out for assistive technology.
    expect(within(row('deploy bot')).getByTestId('token-countdown')).toHaveTextContent('Urgent');
    expect(within(row('deploy bot')).getByTestId('token-countdown').title).toMatch(/2026/);
  });

  it('re-renders the countdown when the clock ticks', async () => {
    const { clock } = renderInventory();
    await loaded();
    const countdown = () => within(row('deploy bot')).getByTestId('token-countdown');
    expect(countdown()).toHaveTextContent('expires in 6 days');

    clock.set(daysFromNow(6, -2));
    await waitFor(() => expect(countdown()).toHaveTextContent('expires in 2 h'));
    clock.set(daysFromNow(8));
    await waitFor(() => expect(countdown()).toHaveTextContent('expired 2 days ago'));
    expect(countdown()).toHaveClass('urgency-expired');
  });

  it('uses the thresholds from settings', async () => {
    renderInventory(SEEDS, { ...DEFAULT_SETTINGS, warn_days: 60, urgent_days: 40 });
    await loaded();
    expect(within(row('release pipeline')).getByTestId('token-countdown')).toHaveClass(
      'urgency-urgent',
    );
    expect(within(row('chat summariser')).getByTestId('token-countdown')).toHaveClass(
      'urgency-calm',
    );
  });

  it('shows the masked hint, account and tags on the row', async () => {
    renderInventory();
    await loaded();
    const deploy = row('deploy bot');
    expect(within(deploy).getByTestId('token-hint')).toHaveTextContent('ghp_…a1B2');
    expect(deploy).toHaveTextContent('acme-ci · production');
    expect(deploy).toHaveTextContent('ci');
  });

  it('renders a token name made of HTML as literal text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    renderInventory([{ name: evil, notes: '<b>bold</b>', expires_at: null }]);
    await loaded();
    expect(screen.getByTestId('token-name').textContent).toBe(evil);
    expect(document.querySelector('img')).toBeNull();

    await fireEvent.click(screen.getByTestId('token-row'));
    expect(await screen.findByTestId('detail-name')).toHaveTextContent(evil);
    expect(screen.getByTestId('detail-notes').textContent).toBe('<b>bold</b>');
    expect(document.querySelector('img, b')).toBeNull();
  });

  it('teaches what to do when the vault is empty', async () => {
    renderInventory([]);
    const empty = await screen.findByTestId('empty-state');
    expect(empty).toHaveTextContent('A token here is');
    await fireEvent.click(screen.getByTestId('empty-add'));
    expect(screen.getByTestId('token-form')).toBeInTheDocument();
  });

  it('renders only the visible rows of 10,000 tokens', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      name: `token ${String(i).padStart(5, '0')}`,
      expires_at: daysFromNow(1 + (i % 400)),
    }));
    renderInventory(many);
    await loaded();
    const rendered = screen.getAllByTestId('token-row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);

    const list = screen.getByTestId('token-list');
    list.scrollTop = 56 * 5000;
    await fireEvent.scroll(list);
    const first = screen.getAllByTestId('token-row')[0];
    expect(Number(first?.style.transform.match(/\d+/)?.[0])).toBeGreaterThan(56 * 4900);
  });
});

describe('Inventory search and filters', () => {
  it('narrows the list as you type, across name, account, tags and hint', async () => {
    renderInventory();
    await loaded();
    const search = screen.getByTestId('search');

    await fireEvent.input(search, { target: { value: 'acme' } });
    expect(names()).toEqual(['deploy bot']);

    await fireEvent.input(search, { target: { value: 'ci' } });
    expect(names()).toEqual(['deploy bot', 'release pipeline']);

    await fireEvent.input(search, { target: { value: 'a1B2' } });
    expect(names()).toEqual(['deploy bot']);

    await fireEvent.input(search, { target: { value: 'nothing like this' } });
    expect(screen.getByTestId('no-results')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('clear-filters'));
    expect(names()).toHaveLength(8);
  });

  it('finds a token by its notes, which the lean rows carry', async () => {
    const backend = new FakeBackend({
      tokens: [...SEEDS, { name: 'mailer', provider: 'other', notes: 'Sends the Invoices' }],
      locked: false,
    });
    show(backend);
    await loaded();
    expect(backend.log.some((c) => c.method === 'listTokens')).toBe(false);
    await fireEvent.input(screen.getByTestId('search'), { target: { value: 'invoices' } });
    expect(names()).toEqual(['mailer']);
  });

  it('filters by provider, status, tag and environment', async () => {
    renderInventory();
    await loaded();

    await fireEvent.change(screen.getByTestId('filter-provider'), { target: { value: 'github' } });
    expect(names()).toEqual(['deploy bot', 'retired']);

    await fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'revoked' } });
    expect(names()).toEqual(['retired']);

    await fireEvent.change(screen.getByTestId('filter-provider'), { target: { value: '' } });
    await fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'expired' } });
    expect(names()).toEqual(['old npm publish']);

    await fireEvent.change(screen.getByTestId('filter-status'), { target: { value: '' } });
    await fireEvent.change(screen.getByTestId('filter-tag'), { target: { value: 'ci' } });
    expect(names()).toEqual(['deploy bot', 'release pipeline']);

    await fireEvent.change(screen.getByTestId('filter-tag'), { target: { value: '' } });
    await fireEvent.change(screen.getByTestId('filter-environment'), {
      target: { value: 'staging' },
    });
    expect(names()).toEqual(['billing webhooks']);
  });

  it('sorts by name on request', async () => {
    renderInventory();
    await loaded();
    await fireEvent.change(screen.getByTestId('sort'), { target: { value: 'name' } });
    expect(names()[0]).toBe('billing webhooks');
  });

  it('shows what needs attention with counts, and the archived view', async () => {
    renderInventory();
    await loaded();
    expect(screen.getByTestId('attention-count')).toHaveTextContent('5');

    await fireEvent.click(screen.getByTestId('nav-attention'));
    expect(screen.getByTestId('attention-summary')).toHaveTextContent(
      '1 expired · 3 expiring within 30 days · 1 with no expiry',
    );
    expect(names()).toEqual([
      'old npm publish',
      'in a moment',
      'deploy bot',
      'next month',
      'billing webhooks',
    ]);

    await fireEvent.click(screen.getByTestId('nav-archived'));
    expect(names()).toEqual(['shelved']);
  });

  it('shows one provider from the sidebar', async () => {
    renderInventory();
    await loaded();
    const github = screen
      .getAllByTestId('nav-provider')
      .find((el) => el.dataset['provider'] === 'github');
    await fireEvent.click(github as HTMLElement);
    expect(names()).toEqual(['deploy bot', 'retired']);
  });

  it('names providers as the catalog spells them, sorted by that name', async () => {
    renderInventory();
    await loaded();
    const sidebar = screen.getAllByTestId('nav-provider');
    const github = sidebar.find((el) => el.dataset['provider'] === 'github') as HTMLElement;
    expect(github).toHaveTextContent('GitHub');
    expect(github).not.toHaveTextContent('github');
    // Providers the catalog does not know keep the id they were given.
    const labels = sidebar.map((el) => el.textContent?.replace(/\d+$/, ''));
    expect(labels).toEqual([...labels].sort((a, b) => (a ?? '').localeCompare(b ?? '')));
    const options = [...screen.getByTestId('filter-provider').querySelectorAll('option')];
    expect(options.map((o) => o.textContent)).toContain('GitHub');
    await fireEvent.click(github);
    expect(screen.getByRole('heading', { name: 'GitHub' })).toBeInTheDocument();
  });
});

describe('Inventory actions', () => {
  it('adds a token and opens it', async () => {
    // Rust recognises the secret as a GitLab token; the form takes the provider from that answer.
    const backend = new FakeBackend({
      tokens: SEEDS,
      locked: false,
      detections: { 'glpat-abcdefghij1234': fakeDetection('gitlab', 'pat') },
    });
    show(backend);
    await loaded();
    await fireEvent.click(screen.getByTestId('new-token'));
    await fireEvent.input(screen.getByTestId('field-name'), { target: { value: 'ci runner' } });
    await fireEvent.input(screen.getByTestId('field-secret'), {
      target: { value: 'glpat-abcdefghij1234' },
    });
    await fireEvent.click(screen.getByTestId('form-submit'));

    expect(await screen.findByTestId('detail-name')).toHaveTextContent('ci runner');
    expect(screen.queryByTestId('token-form')).toBeNull();
    expect(names()).toContain('ci runner');
    const added = (await backend.listTokens()).find((t) => t.name === 'ci runner');
    expect(added?.provider).toBe('gitlab');
  });

  it('archives at once and moves the token to Archived', async () => {
    const { backend } = renderInventory();
    await loaded();
    await fireEvent.click(row('deploy bot'));
    await fireEvent.click(await screen.findByTestId('archive-button'));

    await waitFor(() => expect(names()).not.toContain('deploy bot'));
    expect(backend.log.map((c) => c.method)).toContain('archiveToken');
  });

  it('puts an archived token back when the backend refuses, and says why', async () => {
    const { backend } = renderInventory();
    await loaded();
    await fireEvent.click(row('deploy bot'));
    backend.failNext.archiveToken = new BackendError('io', 'The vault file is read-only.');
    await fireEvent.click(await screen.findByTestId('archive-button'));

    expect(await screen.findByTestId('detail-error')).toHaveTextContent('read-only');
    expect(names()).toContain('deploy bot');
  });

  it('deletes after confirmation and closes the detail', async () => {
    const { backend } = renderInventory();
    await loaded();
    await fireEvent.click(row('deploy bot'));
    await fireEvent.click(await screen.findByTestId('delete-button'));
    await fireEvent.click(screen.getByTestId('confirm-delete'));

    await waitFor(() => expect(names()).not.toContain('deploy bot'));
    expect(screen.queryByTestId('token-detail')).toBeNull();
    expect((await backend.listTokens()).some((t) => t.name === 'deploy bot')).toBe(false);
  });

  it('edits a token and shows the new name', async () => {
    renderInventory();
    await loaded();
    await fireEvent.click(row('deploy bot'));
    await fireEvent.click(await screen.findByTestId('edit-button'));
    const name = screen.getByTestId('field-name');
    expect(name).toHaveValue('deploy bot');
    await fireEvent.input(name, { target: { value: 'deploy bot v2' } });
    await fireEvent.click(screen.getByTestId('form-submit'));

    await waitFor(() => expect(names()).toContain('deploy bot v2'));
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot v2');
  });
});

describe('Inventory import and export', () => {
  it('opens the import dialog from the top bar and reloads the list after an import', async () => {
    const { backend } = renderInventory();
    await loaded();
    backend.files.set('/tmp/more.json', {
      format: 'json',
      rows: [{ name: 'imported bot', provider: 'github', secret: 'ghp_importedsecretZZ11' }],
    });
    await fireEvent.click(screen.getByTestId('import-button'));
    expect(screen.getByRole('dialog', { name: 'Import tokens' })).toBeInTheDocument();

    backend.picks.push('/tmp/more.json');
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(screen.getByTestId('import-file')).toHaveTextContent('more.json'));
    await fireEvent.click(screen.getByTestId('import-preview-button'));
    await fireEvent.click(await screen.findByTestId('import-apply'));
    await screen.findByTestId('import-result');
    await waitFor(() => expect(names()).toContain('imported bot'));

    await fireEvent.click(screen.getByTestId('import-close'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens the scan from a sidebar button reachable by keyboard; Escape closes it and focus returns', async () => {
    const { backend } = renderInventory();
    await loaded();
    backend.scan = { findings: [] };
    const scan = screen.getByRole('button', { name: 'Scan for exposed tokens…' });
    expect(scan.tabIndex).toBe(0);
    scan.focus();
    await fireEvent.click(scan);
    expect(screen.getByRole('dialog', { name: 'Scan for exposed tokens' })).toBeInTheDocument();
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(scan).toHaveFocus());
  });

  it('opens the export dialog from the top bar', async () => {
    renderInventory();
    await loaded();
    await fireEvent.click(screen.getByTestId('export-button'));
    expect(screen.getByRole('dialog', { name: 'Export tokens' })).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('export-cancel'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens import with Ctrl+I and export with Ctrl+E', async () => {
    renderInventory();
    await loaded();
    await fireEvent.keyDown(document.body, { key: 'i', ctrlKey: true });
    expect(screen.getByTestId('import-dialog')).toBeInTheDocument();
    await fireEvent.keyDown(screen.getByTestId('import-choose'), { key: 'Escape' });
    expect(screen.queryByTestId('import-dialog')).toBeNull();

    await fireEvent.keyDown(document.body, { key: 'e', ctrlKey: true });
    expect(screen.getByTestId('export-dialog')).toBeInTheDocument();
  });

  it('offers an import from the empty state', async () => {
    renderInventory([]);
    await screen.findByTestId('empty-state');
    await fireEvent.click(screen.getByTestId('empty-import'));
    expect(screen.getByTestId('import-dialog')).toBeInTheDocument();
  });
});

describe('Inventory keyboard', () => {
  it('focuses search with /', async () => {
    renderInventory();
    await loaded();
    await fireEvent.keyDown(document.body, { key: '/' });
    expect(screen.getByTestId('search')).toHaveFocus();
  });

  it('opens the new-token form with Ctrl+N, focused, and Escape cancels it', async () => {
    renderInventory();
    await loaded();
    await fireEvent.keyDown(document.body, { key: 'n', ctrlKey: true });
    const name = screen.getByTestId('field-name');
    await waitFor(() => expect(name).toHaveFocus());

    await fireEvent.keyDown(name, { key: 'Escape' });
    expect(screen.queryByTestId('token-form')).toBeNull();
  });

  it('locks with Ctrl+L (even from a dialog) and with the lock button', async () => {
    const { onLock } = renderInventory();
    await loaded();
    await fireEvent.keyDown(document.body, { key: 'l', ctrlKey: true });
    expect(onLock).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Lock the vault' }));
    expect(onLock).toHaveBeenCalledTimes(2);

    await fireEvent.click(screen.getByTestId('new-token'));
    await fireEvent.keyDown(screen.getByTestId('field-name'), { key: 'l', ctrlKey: true });
    expect(onLock).toHaveBeenCalledTimes(3);
  });

  it('moves the selection with the arrow keys and opens it with Enter', async () => {
    renderInventory();
    await loaded();
    const list = screen.getByTestId('token-list');
    list.focus();
    await fireEvent.keyDown(list, { key: 'ArrowDown' });
    await fireEvent.keyDown(list, { key: 'ArrowDown' });
    await fireEvent.keyDown(list, { key: 'ArrowDown' });
    await fireEvent.keyDown(list, { key: 'ArrowUp' });
    expect(row('in a moment')).toHaveAttribute('aria-selected', 'true');
    expect(list).toHaveAttribute('aria-activedescendant', row('in a moment').id);

    await fireEvent.keyDown(list, { key: 'Enter' });
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('in a moment');

    await fireEvent.keyDown(list, { key: 'Escape' });
    expect(screen.queryByTestId('token-detail')).toBeNull();
  });

  it('moves the selection from the search field too', async () => {
    renderInventory();
    await loaded();
    const search = screen.getByTestId('search');
    await fireEvent.input(search, { target: { value: 'ci' } });
    await fireEvent.keyDown(search, { key: 'ArrowDown' });
    await fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot');
  });
});

describe('Inventory opening a token for the tray or a notification', () => {
  it('shows the token asked for while the screen is open', async () => {
    const { backend } = renderInventory();
    await screen.findAllByTestId('token-row');
    const id = (await backend.listTokens()).find((t) => t.name === 'next month')!.id;
    backend.requestOpen(id);
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('next month');
    expect(await backend.takeOpenRequest()).toBeNull();
  });

  it('takes a request made before it was shown (window just created, or after unlocking)', async () => {
    const backend = new FakeBackend({ tokens: SEEDS, locked: false });
    const id = (await backend.listTokens()).find((t) => t.name === 'deploy bot')!.id;
    backend.requestOpen(id);
    show(backend);
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot');
  });
});

describe('Inventory rotation, revocation and panic revoke', () => {
  it('offers to resume an unfinished rotation after unlock, at the step it stopped', async () => {
    const backend = new FakeBackend({ tokens: SEEDS, locked: false });
    const id = (await backend.listTokens()).find((t) => t.name === 'deploy bot')!.id;
    const rotation = await backend.rotationStart(id, 'guided');
    await backend.rotationStep(rotation.id, {
      action: 'store_secret',
      secret: 'ghp_newnewnewnewnew999',
      expires_at: null,
    });
    show(backend);
    const banner = await screen.findByTestId('rotation-banner');
    expect(banner).toHaveTextContent('1 rotation in progress: deploy bot — Resume');

    await fireEvent.click(screen.getByTestId('rotation-resume'));
    expect(await screen.findByTestId('rotation-step-new_stored')).toBeInTheDocument();
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot');

    await fireEvent.click(screen.getByTestId('rotation-abort'));
    await fireEvent.click(screen.getByTestId('confirm-yes'));
    await screen.findByTestId('rotation-aborted');
    await fireEvent.click(screen.getByTestId('rotation-close'));
    await waitFor(() => expect(screen.queryByTestId('rotation-banner')).toBeNull());
  });

  it('opens the rotation wizard from the detail’s Rotate button', async () => {
    renderInventory();
    await loaded();
    await fireEvent.click(row('release pipeline'));
    await fireEvent.click(await screen.findByTestId('rotate-button'));
    expect(await screen.findByTestId('rotation-wizard')).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: "Rotate 'release pipeline'" })).toBeInTheDocument();
    expect(await screen.findByTestId('rotation-method-api')).toBeInTheDocument();
  });

  it('starts the rotation a notification asked for with "Rotate now"', async () => {
    const { backend } = renderInventory();
    await loaded();
    const id = (await backend.listTokens()).find((t) => t.name === 'deploy bot')!.id;
    backend.requestOpen(id, true);
    expect(await screen.findByTestId('rotation-wizard')).toBeInTheDocument();
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('deploy bot');
  });

  it('revokes from the detail and shows the token as revoked', async () => {
    renderInventory();
    await loaded();
    await fireEvent.click(row('deploy bot'));
    await fireEvent.click(await screen.findByTestId('revoke-button'));
    await fireEvent.click(await screen.findByTestId('revoke-confirmed'));
    await screen.findByTestId('revoke-result');
    await fireEvent.click(screen.getByTestId('revoke-close'));
    await waitFor(() =>
      expect(within(row('deploy bot')).getByTestId('token-countdown')).toHaveTextContent('revoked'),
    );
    expect(screen.queryByTestId('revoke-button')).toBeNull();
  });

  it('opens panic revoke from the top bar and with Ctrl+Shift+R', async () => {
    renderInventory();
    await loaded();
    await fireEvent.click(screen.getByTestId('panic-button'));
    expect(screen.getByTestId('panic-dialog')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('panic-cancel'));
    expect(screen.queryByTestId('panic-dialog')).toBeNull();

    await fireEvent.keyDown(document.body, { key: 'R', ctrlKey: true, shiftKey: true });
    expect(screen.getByTestId('panic-dialog')).toBeInTheDocument();
    await fireEvent.keyDown(screen.getByTestId('panic-go'), { key: 'Escape' });
    expect(screen.queryByTestId('panic-dialog')).toBeNull();
  });

  it('reloads the list after a panic revoke', async () => {
    renderInventory();
    await loaded();
    await fireEvent.click(screen.getByTestId('panic-button'));
    await fireEvent.change(await screen.findByTestId('panic-provider'), {
      target: { value: 'github' },
    });
    await fireEvent.click(screen.getByTestId('panic-go'));
    await fireEvent.click(screen.getByTestId('panic-confirm'));
    await screen.findByTestId('panic-summary');
    await fireEvent.click(screen.getByTestId('panic-close'));
    await waitFor(() =>
      expect(within(row('deploy bot')).getByTestId('token-countdown')).toHaveTextContent('revoked'),
    );
  });
});

describe('Inventory API address override warning', () => {
  it('warns, naming the provider, the host and the variable, while TOKENWARDEN_API_* decides an address', async () => {
    const backend = new FakeBackend({
      tokens: SEEDS,
      locked: false,
      apiEnv: { gitlab: 'http://127.0.0.1:8123/gitlab' },
    });
    show(backend, { ...DEFAULT_SETTINGS });
    const banner = await screen.findByTestId('api-override-banner');
    expect(banner).toHaveAttribute('role', 'alert');
    const items = within(banner).getAllByTestId('api-override');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(
      "GitLab's API calls, tokens included, go to 127.0.0.1:8123 (set by TOKENWARDEN_API_GITLAB), not to gitlab.com.",
    );
  });

  it('shows no warning without the variable, or when the vault setting wins over it', async () => {
    const backend = new FakeBackend({
      tokens: SEEDS,
      locked: false,
      apiUrls: { gitlab: 'https://gitlab.example.com/' },
      apiEnv: { gitlab: 'http://127.0.0.1:8123/gitlab' },
    });
    show(backend, { ...DEFAULT_SETTINGS });
    await screen.findAllByTestId('token-row');
    await waitFor(() => expect(backend.log.some((c) => c.method === 'providerApiUrls')).toBe(true));
    expect(screen.queryByTestId('api-override-banner')).toBeNull();
  });
});
