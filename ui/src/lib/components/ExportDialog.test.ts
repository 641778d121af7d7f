// The export dialog against the fake backend: the passphrase rules of a backup, the typed
// confirmation for secrets in the clear, what it sends, and a refusal to overwrite.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ExportRequest } from '../backend';
import { FakeBackend, type FakeOptions } from '../backend/fake';
import { testContext } from '../testing';
import ExportDialog from './ExportDialog.svelte';

let current: FakeBackend;

function renderDialog(options: FakeOptions = {}) {
  const backend = (current = new FakeBackend({
    locked: false,
    tokens: [{ name: 'deploy bot' }, { name: 'billing webhooks' }],
    ...options,
  }));
  const onClose = vi.fn();
  render(ExportDialog, { props: { onClose }, context: testContext(backend) });
  return { backend, onClose };
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

function sent(backend: FakeBackend): ExportRequest[] {
  return backend.log.filter((c) => c.method === 'exportFile').map((c) => c.args[0] as never);
}

const submit = () => screen.getByTestId('export-submit');

/** The user chooses `path` in the native save dialog (the fake's). */
async function choose(path: string) {
  current.picks.push(path);
  await fireEvent.click(screen.getByTestId('export-choose'));
  const name = path.slice(path.lastIndexOf('/') + 1);
  await waitFor(() => expect(screen.getByTestId('export-file')).toHaveTextContent(name));
}

describe('ExportDialog backup', () => {
  it('is the default and needs matching passphrases of at least 8 characters', async () => {
    const { backend } = renderDialog();
    const chooseButton = screen.getByRole('button', { name: /Choose file/ });
    await waitFor(() => expect(chooseButton).toHaveFocus());
    expect(chooseButton).toHaveAccessibleDescription('Save to No file chosen');
    expect(screen.getByTestId('export-format-backup')).toBeChecked();
    await choose('/tmp/tokens.twb');
    expect(submit()).toBeDisabled();

    await type('export-passphrase', 'short');
    expect(screen.getByTestId('export-passphrase-error')).toHaveTextContent('at least 8');
    await type('export-passphrase', 'long enough phrase');
    expect(screen.queryByTestId('export-passphrase-error')).toBeNull();
    await type('export-passphrase-confirm', 'long enough phrasE');
    expect(screen.getByTestId('export-confirm-error')).toHaveTextContent('do not match');
    expect(submit()).toBeDisabled();

    await type('export-passphrase-confirm', 'long enough phrase');
    await fireEvent.click(screen.getByTestId('export-armor'));
    expect(submit()).toBeEnabled();
    await fireEvent.click(submit());

    expect(await screen.findByTestId('export-result')).toHaveTextContent(
      'Exported 2 tokens to tokens.twb (encrypted)',
    );
    expect(sent(backend)).toEqual([
      {
        handle: 'handle-1',
        format: 'backup',
        include_secrets: false,
        passphrase: 'long enough phrase',
        password: null,
        armor: true,
        overwrite: false,
      },
    ]);
  });

  it('refuses to replace an existing file unless asked to, and says so', async () => {
    const { backend } = renderDialog({
      files: { '/tmp/old.csv': { format: 'csv', rows: [] } },
    });
    await choose('/tmp/old.csv');
    await fireEvent.click(screen.getByTestId('export-format-csv'));
    await fireEvent.click(submit());

    expect(await screen.findByRole('alert')).toHaveTextContent('old.csv already exists');
    expect(screen.queryByTestId('export-result')).toBeNull();

    await fireEvent.click(screen.getByTestId('export-overwrite'));
    await fireEvent.click(submit());
    expect(await screen.findByTestId('export-result')).toHaveTextContent(
      'Exported 2 tokens to old.csv (metadata only)',
    );
    expect(sent(backend).map((r) => r.overwrite)).toEqual([false, true]);
  });
});

describe('ExportDialog secrets in the clear', () => {
  it('needs EXPORT SECRETS typed before a CSV with secrets can be written', async () => {
    const { backend } = renderDialog();
    await choose('/tmp/plain.csv');
    await fireEvent.click(screen.getByTestId('export-format-csv'));
    expect(screen.queryByTestId('export-passphrase')).toBeNull();
    expect(submit()).toBeEnabled();

    await fireEvent.click(screen.getByTestId('export-include-secrets'));
    expect(screen.getByTestId('export-warning')).toHaveTextContent(
      'The file will hold every secret in the clear',
    );
    expect(submit()).toBeDisabled();
    await type('export-confirm', 'export secrets');
    expect(submit()).toBeDisabled();
    await type('export-confirm', 'EXPORT SECRETS');
    // The vault password is asked again; a wrong one is refused by Rust and nothing is written.
    expect(submit()).toBeDisabled();
    await type('export-password', 'not the password');
    expect(submit()).toBeEnabled();
    await fireEvent.click(submit());
    expect(await screen.findByRole('alert')).toHaveTextContent('does not open this vault');
    expect(screen.queryByTestId('export-result')).toBeNull();
    expect(backend.files.has('/tmp/plain.csv')).toBe(false);

    await type('export-password', 'correct horse battery');
    await fireEvent.click(submit());
    expect(await screen.findByTestId('export-result')).toHaveTextContent('(secrets in the clear)');
    expect(sent(backend)[1]).toMatchObject({
      format: 'csv',
      include_secrets: true,
      passphrase: null,
      password: 'correct horse battery',
      armor: false,
    });
  });

  it('always treats KeePassXC XML as holding secrets', async () => {
    const { backend } = renderDialog();
    await choose('/tmp/keepass.xml');
    await fireEvent.click(screen.getByTestId('export-format-keepassxc-xml'));
    expect(screen.queryByTestId('export-include-secrets')).toBeNull();
    expect(screen.getByTestId('export-warning')).toBeInTheDocument();
    expect(submit()).toBeDisabled();

    await type('export-confirm', 'EXPORT SECRETS');
    await type('export-password', 'correct horse battery');
    await fireEvent.click(submit());
    await screen.findByTestId('export-result');
    expect(sent(backend)[0]).toMatchObject({ format: 'keepassxc-xml', include_secrets: true });
  });

  it('closes with Cancel and with Escape', async () => {
    const { onClose } = renderDialog();
    await fireEvent.click(screen.getByTestId('export-cancel'));
    await fireEvent.keyDown(screen.getByTestId('export-choose'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});

describe('ExportDialog where the file goes', () => {
  it("shows the refusal of the vault's folder or a home dot-folder and writes nothing", async () => {
    const { backend } = renderDialog();
    await fireEvent.click(screen.getByTestId('export-format-csv'));
    for (const path of ['/home/test/.config/x', '/home/test/.local/share/tokenwarden/out.csv']) {
      backend.picks.push(path);
      await fireEvent.click(screen.getByTestId('export-choose'));
      expect(await screen.findByRole('alert')).toHaveTextContent('choose another folder');
      expect(screen.getByTestId('export-file')).toHaveTextContent('No file chosen');
      expect(submit()).toBeDisabled();
    }
    expect(sent(backend)).toEqual([]);
    expect([...backend.files.keys()]).toEqual([]);
  });

  it('sends the handle, never a path, and keeps the choice when the dialog is cancelled', async () => {
    const { backend } = renderDialog();
    await fireEvent.click(screen.getByTestId('export-format-csv'));
    await choose('/home/test/Documents/meta.csv');
    backend.picks.push(null);
    await fireEvent.click(screen.getByTestId('export-choose'));
    await waitFor(() => expect(backend.log.at(-1)?.method).toBe('exportPick'));
    expect(screen.getByTestId('export-file')).toHaveTextContent('meta.csv');
    await fireEvent.click(submit());
    await screen.findByTestId('export-result');
    expect(backend.log.find((c) => c.method === 'exportPick')?.args).toEqual(['csv']);
    expect(JSON.stringify(sent(backend))).not.toContain('/home/test');
    expect(backend.files.has('/home/test/Documents/meta.csv')).toBe(true);
  });
});
