// The import dialog against the fake backend, whose previews answer the rows a test gives for a file
// (or scripts for the next preview): preview, column mapping, applying with progress, backend
// refusals and the passphrase of an encrypted backup.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { BackendError, type ImportRequest } from '../backend';
import {
  FakeBackend,
  type FakeImportRow,
  type FakeOptions,
  type FakePreview,
} from '../backend/fake';
import { localDate } from '../model/countdown';
import { daysFromNow, testContext } from '../testing';
import ImportDialog from './ImportDialog.svelte';

// The provider of the first row is one the Rust importer recognised from the secret.
const DEPLOY: FakeImportRow = {
  name: 'deploy bot',
  provider: 'github',
  provider_detected: true,
  secret: 'ghp_0123456789abcdefa1B2',
  expires_at: daysFromNow(30),
};
const RELEASE: FakeImportRow = {
  name: 'release pipeline',
  provider: 'gitlab',
  secret: 'glpat-xxxxxxxxxxxxZz99',
};
const BILLING: FakeImportRow = {
  name: 'billing webhooks',
  provider: 'stripe',
  secret: 'whsec_abcdefgh1234',
};
const ROWS = [DEPLOY, RELEASE, BILLING];
/** The rows as Rust plans them when 'billing webhooks' is already in the vault (as tok-1). */
const withDuplicate = (action: 'skip' | 'update'): FakeImportRow[] => [
  DEPLOY,
  RELEASE,
  { ...BILLING, action, duplicate_of: 'tok-1' },
];

let current: FakeBackend;

function renderDialog(options: FakeOptions = {}) {
  const backend = new FakeBackend({ locked: false, tokens: [], ...options });
  current = backend;
  const onImported = vi.fn();
  const onClose = vi.fn();
  render(ImportDialog, { props: { onImported, onClose }, context: testContext(backend) });
  return { backend, onImported, onClose };
}

/** The user chooses `path` in the native dialog (the fake's), then previews it. */
async function previewFile(path: string) {
  current.picks.push(path);
  await fireEvent.click(screen.getByTestId('import-choose'));
  const name = path.slice(path.lastIndexOf('/') + 1);
  await waitFor(() => expect(screen.getByTestId('import-file')).toHaveTextContent(name));
  await fireEvent.click(screen.getByTestId('import-preview-button'));
}

function requests(backend: FakeBackend): ImportRequest[] {
  return backend.log.filter((c) => c.method === 'importPreview').map((c) => c.args[0] as never);
}

const rowNames = () =>
  screen.getAllByTestId('import-row').map((row) => row.querySelectorAll('td')[1]?.textContent);

describe('ImportDialog preview', () => {
  it('focuses the Choose file button, labelled, and shows no file until one is chosen', async () => {
    renderDialog();
    const choose = screen.getByRole('button', { name: /Choose file/ });
    await waitFor(() => expect(choose).toHaveFocus());
    expect(choose).toHaveAccessibleDescription('File to import No file chosen');
    expect(screen.getByTestId('import-apply')).toBeDisabled();
    // Previewing before choosing says what to do and asks Rust nothing.
    await fireEvent.click(screen.getByTestId('import-preview-button'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose the file to import first.');
    expect(current.log.filter((c) => c.method === 'importPreview')).toEqual([]);
  });

  it('sends only the handle of the chosen file, shows its name, and never a path', async () => {
    const { backend } = renderDialog({
      files: { '/home/test/t.json': { format: 'json', rows: ROWS } },
    });
    await previewFile('/home/test/t.json');
    await screen.findByTestId('import-summary');
    expect(screen.getByTestId('import-file')).toHaveTextContent('t.json');
    expect(JSON.stringify(backend.log)).not.toContain('/home/test');
  });

  it('keeps the chosen file when the native dialog is cancelled', async () => {
    const { backend } = renderDialog({ files: { '/tmp/t.json': { format: 'json', rows: ROWS } } });
    await previewFile('/tmp/t.json');
    await screen.findByTestId('import-summary');
    backend.picks.push(null);
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(backend.log.at(-1)?.method).toBe('importPick'));
    expect(screen.getByTestId('import-file')).toHaveTextContent('t.json');
    expect(screen.getByTestId('import-summary')).toBeInTheDocument();
  });

  it('asks to choose again once the vault has locked and the handle is gone', async () => {
    const { backend } = renderDialog({ files: { '/tmp/t.json': { format: 'json', rows: ROWS } } });
    await previewFile('/tmp/t.json');
    await screen.findByTestId('import-summary');
    backend.emitLocked();
    backend.status.locked = false;
    await fireEvent.change(screen.getByTestId('import-duplicates'), {
      target: { value: 'update' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('choose the file again');
  });

  it('shows the planned rows and a summary, skipping duplicates by default', async () => {
    const { backend } = renderDialog({
      tokens: [{ name: 'billing webhooks', provider: 'stripe' }],
      files: { '/tmp/bitwarden.json': { format: 'bitwarden-json', rows: withDuplicate('skip') } },
    });
    await previewFile('/tmp/bitwarden.json');

    expect(await screen.findByTestId('import-summary')).toHaveTextContent(
      'Bitwarden JSON (unencrypted): 2 to create, 1 duplicate skipped.',
    );
    expect(rowNames()).toEqual([
      'deploy bot ghp_…a1B2',
      'release pipeline glpat-…Zz99',
      'billing webhooks whsec_…1234',
    ]);
    const [deploy, , billing] = screen.getAllByTestId('import-row');
    expect(deploy).toHaveTextContent('GitHub');
    expect(deploy).toHaveTextContent('detected');
    expect(deploy).toHaveTextContent(localDate(daysFromNow(30)));
    expect(within(billing as HTMLElement).getByTestId('import-row-action')).toHaveTextContent(
      'Skip (duplicate)',
    );
    expect(screen.getByTestId('import-apply')).toHaveTextContent('Import 2 tokens');
    expect(requests(backend)[0]).toEqual({
      handle: 'handle-1',
      format: null,
      passphrase: null,
      on_duplicate: 'skip',
      columns: [],
    });
  });

  it('previews again when the duplicate policy changes', async () => {
    const { backend } = renderDialog({
      tokens: [{ name: 'billing webhooks', provider: 'stripe' }],
      files: { '/tmp/t.json': { format: 'json', rows: withDuplicate('skip') } },
    });
    await previewFile('/tmp/t.json');
    await screen.findByTestId('import-summary');
    backend.answers.importPreview.next({ rows: withDuplicate('update') });
    await fireEvent.change(screen.getByTestId('import-duplicates'), {
      target: { value: 'update' },
    });

    await waitFor(() =>
      expect(screen.getByTestId('import-summary')).toHaveTextContent('2 to create, 1 to update'),
    );
    expect(requests(backend).at(-1)?.on_duplicate).toBe('update');
    expect(screen.getByTestId('import-apply')).toHaveTextContent('Import 3 tokens');
  });

  it('renders only the first 200 rows of a large file and counts the rest', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      name: `token ${i}`,
      secret: `sk-${String(i).padStart(8, '0')}`,
    }));
    renderDialog({ files: { '/tmp/big.json': { format: 'json', rows: many } } });
    await previewFile('/tmp/big.json');

    expect(await screen.findByTestId('import-more')).toHaveTextContent('and 9,800 more');
    expect(screen.getAllByTestId('import-row')).toHaveLength(200);
    expect(screen.getByTestId('import-summary')).toHaveTextContent('10,000 to create');
  });

  it("shows the backend's message for an invalid file in an alert", async () => {
    const { backend } = renderDialog({ files: { '/tmp/bad.csv': { format: 'csv', rows: [] } } });
    backend.failNext.importPreview = new BackendError(
      'invalid_input',
      'bad.csv: line 2: expected 2 fields, found 3.',
    );
    await previewFile('/tmp/bad.csv');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('bad.csv: line 2: expected 2 fields, found 3.');
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(screen.getByTestId('import-apply')).toBeDisabled();
  });

  it('says so when the file does not exist', async () => {
    renderDialog();
    await previewFile('/tmp/nothing-here.csv');
    expect(await screen.findByRole('alert')).toHaveTextContent('no file at nothing-here.csv');
  });
});

describe('ImportDialog CSV columns', () => {
  // A CSV file with the mapping the Rust importer guessed from its header line.
  const CSV: FakePreview = {
    format: 'csv',
    columns: [
      { header: 'Title', field: 'name' },
      { header: 'Token', field: 'secret' },
      { header: 'Where', field: 'ignore' },
    ],
    rows: [
      { name: 'deploy bot', secret: 'ghp_0123456789abcdefa1B2' },
      { name: 'chat summariser', secret: 'sk-abcdefghijklmn77' },
    ],
  };

  it('re-runs the preview with the chosen column mapping', async () => {
    const { backend } = renderDialog({ files: { '/tmp/tokens.csv': CSV } });
    await previewFile('/tmp/tokens.csv');
    await screen.findByTestId('import-columns');

    const select = (header: string) =>
      screen
        .getAllByTestId('import-column')
        .find((el) => el.dataset['header'] === header) as HTMLSelectElement;
    expect(select('Title')).toHaveValue('name');
    expect(select('Token')).toHaveValue('secret');
    expect(select('Where')).toHaveValue('ignore');

    await fireEvent.change(select('Where'), { target: { value: 'environment' } });
    await waitFor(() => expect(requests(backend)).toHaveLength(2));
    expect(requests(backend)[1]?.columns).toEqual([
      { header: 'Title', field: 'name' },
      { header: 'Token', field: 'secret' },
      { header: 'Where', field: 'environment' },
    ]);

    // Mapping the secret away leaves nothing importable, and the preview says why.
    backend.answers.importPreview.next(() => ({
      rows: CSV.rows.map((row) => ({ ...row, secret: '', problems: ['no secret'] })),
    }));
    await fireEvent.change(select('Token'), { target: { value: 'ignore' } });
    await waitFor(() => expect(screen.getByTestId('import-apply')).toBeDisabled());
    expect(screen.getAllByTestId('import-row')[0]).toHaveTextContent('no secret');
    expect(screen.getByTestId('import-summary')).toHaveTextContent('0 to create');
  });
});

describe('ImportDialog apply', () => {
  it('shows progress, then the result, and the inventory gains the tokens', async () => {
    const { backend, onImported, onClose } = renderDialog({
      files: { '/tmp/t.json': { format: 'json', rows: ROWS } },
    });
    let release = () => {};
    backend.importGate = new Promise<void>((resolve) => (release = resolve));
    await previewFile('/tmp/t.json');
    await fireEvent.click(await screen.findByTestId('import-apply'));

    expect(await screen.findByTestId('import-progress-text')).toHaveTextContent('Imported 2 of 3');
    expect(screen.getByTestId('import-progress')).toHaveAttribute('value', '2');
    expect(await backend.listTokens()).toHaveLength(0); // all or nothing: not yet

    release();
    expect(await screen.findByTestId('import-result')).toHaveTextContent(
      'Imported 3 tokens: 3 created, 0 updated, 0 skipped.',
    );
    expect(onImported).toHaveBeenCalledWith(expect.objectContaining({ created: 3 }));
    const names = (await backend.listTokens()).map((t) => t.name).sort();
    expect(names).toEqual(['billing webhooks', 'deploy bot', 'release pipeline']);

    await fireEvent.click(screen.getByTestId('import-close'));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('cancels the previewed plan with Cancel and with Escape', async () => {
    const { backend, onClose } = renderDialog({
      files: { '/tmp/t.json': { format: 'json', rows: ROWS } },
    });
    await previewFile('/tmp/t.json');
    await screen.findByTestId('import-summary');
    await fireEvent.click(screen.getByTestId('import-cancel'));
    await fireEvent.keyDown(screen.getByTestId('import-choose'), { key: 'Escape' });

    expect(onClose).toHaveBeenCalledTimes(2);
    expect(backend.log.filter((c) => c.method === 'importCancel')).toHaveLength(2);
    await expect(backend.importApply()).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('ImportDialog passphrase', () => {
  const BACKUP: FakePreview = { format: 'backup', rows: ROWS };

  it('asks for the passphrase when the format is backup and sends it', async () => {
    const { backend } = renderDialog({ files: { '/tmp/b.twb': BACKUP } });
    expect(screen.queryByTestId('import-passphrase')).toBeNull();
    await fireEvent.change(screen.getByTestId('import-format'), { target: { value: 'backup' } });
    const field = screen.getByLabelText('Backup passphrase');
    await fireEvent.input(field, { target: { value: 'backup passphrase' } });
    await previewFile('/tmp/b.twb');

    expect(await screen.findByTestId('import-summary')).toHaveTextContent('3 to create');
    expect(requests(backend)[0]).toMatchObject({
      format: 'backup',
      passphrase: 'backup passphrase',
    });
  });

  it('shows the passphrase field when a detected backup needs one', async () => {
    const { backend } = renderDialog({ files: { '/tmp/b.twb': BACKUP } });
    backend.failNext.importPreview = new BackendError(
      'passphrase_needed',
      'b.twb is an encrypted backup: enter its passphrase.',
    );
    await previewFile('/tmp/b.twb');

    expect(await screen.findByRole('alert')).toHaveTextContent('passphrase');
    await fireEvent.input(screen.getByTestId('import-passphrase'), {
      target: { value: 'not it' },
    });
    backend.failNext.importPreview = new BackendError(
      'passphrase_needed',
      'That passphrase does not open this backup.',
    );
    await fireEvent.click(screen.getByTestId('import-preview-button'));
    expect(await screen.findByRole('alert')).toHaveTextContent('does not open this backup');
    expect(requests(backend).at(-1)?.passphrase).toBe('not it');
  });
});
