// The export dialog against the fake backend: the passphrase rules of a backup, the typed
// confirmation for secrets in the clear, what it sends, and a refusal to overwrite.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ExportRequest } from '../backend';
import { FakeBackend, type FakeOptions } from '../backend/fake';
import { testContext } from '../testing';
import ExportDialog from './ExportDialog.svelte';

function renderDialog(options: FakeOptions = {}) {
  const backend = new FakeBackend({
    locked: false,
    tokens: [{ name: 'deploy bot' }, { name: 'billing webhooks' }],
    ...options,
  });
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

describe('ExportDialog backup', () => {
  it('is the default and needs matching passphrases of at least 8 characters', async () => {
    const { backend } = renderDialog();
    await waitFor(() => expect(screen.getByLabelText('Save to')).toHaveFocus());
    expect(screen.getByTestId('export-format-backup')).toBeChecked();
    await type('export-path', '/tmp/tokens.twb');
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
      'Exported 2 tokens to /tmp/tokens.twb (encrypted)',
    );
    expect(sent(backend)).toEqual([
      {
        path: '/tmp/tokens.twb',
        format: 'backup',
        include_secrets: false,
        passphrase: 'long enough phrase',
        armor: true,
        overwrite: false,
      },
    ]);
  });

  it('refuses to replace an existing file unless asked to, and says so', async () => {
    const { backend } = renderDialog({
      files: { '/tmp/old.csv': { csv: 'name,secret' } },
    });
    await type('export-path', '/tmp/old.csv');
    await fireEvent.click(screen.getByTestId('export-format-csv'));
    await fireEvent.click(submit());

    expect(await screen.findByRole('alert')).toHaveTextContent('/tmp/old.csv already exists');
    expect(screen.queryByTestId('export-result')).toBeNull();

    await fireEvent.click(screen.getByTestId('export-overwrite'));
    await fireEvent.click(submit());
    expect(await screen.findByTestId('export-result')).toHaveTextContent(
      'Exported 2 tokens to /tmp/old.csv (metadata only)',
    );
    expect(sent(backend).map((r) => r.overwrite)).toEqual([false, true]);
  });
});

describe('ExportDialog secrets in the clear', () => {
  it('needs EXPORT SECRETS typed before a CSV with secrets can be written', async () => {
    const { backend } = renderDialog();
    await type('export-path', '/tmp/plain.csv');
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
    expect(submit()).toBeEnabled();
    await fireEvent.click(submit());

    expect(await screen.findByTestId('export-result')).toHaveTextContent('(secrets in the clear)');
    expect(sent(backend)[0]).toMatchObject({
      format: 'csv',
      include_secrets: true,
      passphrase: null,
      armor: false,
    });
  });

  it('always treats KeePassXC XML as holding secrets', async () => {
    const { backend } = renderDialog();
    await type('export-path', '/tmp/keepass.xml');
    await fireEvent.click(screen.getByTestId('export-format-keepassxc-xml'));
    expect(screen.queryByTestId('export-include-secrets')).toBeNull();
    expect(screen.getByTestId('export-warning')).toBeInTheDocument();
    expect(submit()).toBeDisabled();

    await type('export-confirm', 'EXPORT SECRETS');
    await fireEvent.click(submit());
    await screen.findByTestId('export-result');
    expect(sent(backend)[0]).toMatchObject({ format: 'keepassxc-xml', include_secrets: true });
  });

  it('closes with Cancel and with Escape', async () => {
    const { onClose } = renderDialog();
    await fireEvent.click(screen.getByTestId('export-cancel'));
    await fireEvent.keyDown(screen.getByTestId('export-path'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
