// The scan dialog against the fake backend (its findings are scripted): the usual config files or
// a chosen folder, progress with Cancel, findings grouped with the right boxes ticked, Apply and
// its summary, and refusals shown next to what caused them.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ScanFinding, ScanRequest } from '../backend';
import { FakeBackend, type FakeOptions } from '../backend/fake';
import { testContext } from '../testing';
import ScanDialog from './ScanDialog.svelte';

function finding(id: number, group: ScanFinding['group'], extra: Partial<ScanFinding> = {}) {
  return {
    id,
    group,
    provider: 'gitlab',
    provider_name: 'GitLab',
    kind: 'personal_access_token',
    kind_label: 'Personal access token',
    hint: `glpat-…00${id}`,
    path: '/home/test/project/.env',
    line: id + 1,
    column: 14,
    source: 'text',
    token_id: null,
    token_name: null,
    token_status: null,
    ...extra,
  } satisfies ScanFinding;
}

const FINDINGS: ScanFinding[] = [
  finding(0, 'dead', { token_id: 'tok-9', token_name: 'old deploy', token_status: 'revoked' }),
  finding(1, 'unknown', {
    provider: 'hugging-face',
    provider_name: 'Hugging Face',
    hint: 'hf_…JdHg',
  }),
  finding(2, 'known', { token_id: 'tok-1', token_name: 'gitlab deploy' }),
  finding(3, 'possible', { provider: null, provider_name: null, hint: '…9xQz' }),
];

function renderDialog(options: FakeOptions = {}) {
  const backend = new FakeBackend({
    locked: false,
    tokens: [],
    scan: { findings: FINDINGS, files: 120, bytes: 4_000_000, elapsed_ms: 2_000 },
    ...options,
  });
  const onApplied = vi.fn();
  const onClose = vi.fn();
  render(ScanDialog, { props: { onApplied, onClose }, context: testContext(backend) });
  return { backend, onApplied, onClose };
}

const starts = (backend: FakeBackend) =>
  backend.log.filter((c) => c.method === 'scanStart').map((c) => c.args[0] as ScanRequest);

describe('ScanDialog', () => {
  it('offers the usual config files first, focused, and scans them by default', async () => {
    const { backend } = renderDialog();
    const home = screen.getByRole('button', { name: 'Scan my usual config files' });
    await waitFor(() => expect(home).toHaveFocus());
    expect(screen.getByRole('button', { name: 'Choose a folder…' })).toBeEnabled();
    await fireEvent.click(home);
    await screen.findAllByTestId('scan-finding');
    expect(starts(backend)).toEqual([{ home: true, folders: [] }]);
  });

  it('groups findings, ticks known and unknown ones, and offers no box for dead or possible ones', async () => {
    renderDialog();
    await fireEvent.click(screen.getByTestId('scan-home'));
    const groups = await screen.findAllByTestId('scan-group');
    expect(groups.map((g) => g.dataset.group)).toEqual(['known', 'unknown', 'dead', 'possible']);
    const link = screen.getByRole('checkbox', {
      name: "Record /home/test/project/.env:3 as a usage of 'gitlab deploy'",
    });
    const importBox = screen.getByRole('checkbox', {
      name: 'Import the Hugging Face token hf_…JdHg found in /home/test/project/.env:2',
    });
    expect(link).toBeChecked();
    expect(importBox).toBeChecked();
    const dead = groups.find((g) => g.dataset.group === 'dead')!;
    const possible = groups.find((g) => g.dataset.group === 'possible')!;
    expect(within(dead).queryByRole('checkbox')).toBeNull();
    expect(within(possible).queryByRole('checkbox')).toBeNull();
    expect(dead).toHaveTextContent("revoked: 'old deploy'");
    expect(screen.getByTestId('scan-counts')).toHaveTextContent('Scanned 120 files (4 MB)');
    expect(screen.getByTestId('scan-apply')).toHaveTextContent('Apply: link 1, import 1');
  });

  it('applies only what stays ticked, then shows a summary and tells the shell', async () => {
    const { backend, onApplied } = renderDialog();
    await fireEvent.click(screen.getByTestId('scan-home'));
    await screen.findAllByTestId('scan-finding');
    await fireEvent.click(screen.getByRole('checkbox', { name: /^Record/ }));
    expect(screen.getByTestId('scan-apply')).toHaveTextContent('Apply: link 0, import 1');
    await fireEvent.click(screen.getByTestId('scan-apply'));
    const summary = await screen.findByTestId('scan-summary');
    expect(summary).toHaveTextContent('Recorded 0 new usages and imported 1 token.');
    const apply = backend.log.find((c) => c.method === 'scanApply');
    expect(apply?.args[0]).toEqual({ link: [], import: [1] });
    expect(onApplied).toHaveBeenCalledWith({ linked: 0, imported: 1 });
    await waitFor(() => expect(screen.getByTestId('scan-close')).toHaveFocus());
  });

  it('scans a folder chosen in the native dialog by its handle, never a path', async () => {
    const { backend } = renderDialog({ picks: ['/home/test/project'] });
    await fireEvent.click(screen.getByTestId('scan-choose'));
    await screen.findAllByTestId('scan-finding');
    expect(starts(backend)).toEqual([{ home: false, folders: ['handle-1'] }]);
    expect(screen.getByTestId('scan-counts')).toHaveTextContent('in project');
    const sent = backend.log.filter((c) => c.method !== 'scanPick');
    expect(JSON.stringify(sent.map((c) => c.args))).not.toContain('/home/test/project');
  });

  it('does nothing when the folder dialog is cancelled', async () => {
    const { backend } = renderDialog({ picks: [null] });
    await fireEvent.click(screen.getByTestId('scan-choose'));
    await waitFor(() => expect(backend.log.at(-1)?.method).toBe('scanPick'));
    expect(starts(backend)).toEqual([]);
    expect(screen.getByTestId('scan-home')).toBeInTheDocument();
  });

  it('shows files and MB/s while scanning, and Cancel keeps nothing', async () => {
    let release: () => void = () => undefined;
    const { backend } = renderDialog();
    backend.scanGate = new Promise((resolve) => (release = resolve));
    backend.scan = {
      ...backend.scan,
      progress: [{ files: 500, bytes: 25_000_000, elapsed_ms: 500 }],
    };
    await fireEvent.click(screen.getByTestId('scan-home'));
    const text = await screen.findByTestId('scan-progress-text');
    await waitFor(() =>
      expect(text).toHaveTextContent('500 files · 25 MB · 1,000 files/s · 50 MB/s'),
    );
    expect(screen.getByRole('progressbar', { name: 'Scan progress' })).toBeInTheDocument();
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).toHaveFocus());
    await fireEvent.click(cancel);
    release();
    expect(await screen.findByRole('alert')).toHaveTextContent('Scan cancelled');
    expect(screen.queryByTestId('scan-finding')).toBeNull();
    await expect(backend.scanApply({ link: [2], import: [] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('says so when the findings died with a lock before Apply', async () => {
    const { backend } = renderDialog();
    await fireEvent.click(screen.getByTestId('scan-home'));
    await screen.findAllByTestId('scan-finding');
    backend.emitLocked();
    await backend.unlock('correct horse battery');
    await fireEvent.click(screen.getByTestId('scan-apply'));
    expect(await screen.findByRole('alert')).toHaveTextContent('no scan results to apply');
    expect(screen.getByTestId('scan-apply')).toBeEnabled();
  });

  it('says when nothing was found, with Apply disabled', async () => {
    renderDialog({ scan: { findings: [] } });
    await fireEvent.click(screen.getByTestId('scan-home'));
    expect(await screen.findByTestId('scan-empty')).toHaveTextContent('No tokens found.');
    expect(screen.getByTestId('scan-apply')).toBeDisabled();
  });

  it('closes on Escape, cancelling a running scan', async () => {
    const { backend, onClose } = renderDialog();
    backend.scanGate = new Promise(() => undefined);
    await fireEvent.click(screen.getByTestId('scan-home'));
    await screen.findByTestId('scan-progress');
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
    await waitFor(() => expect(backend.log.some((c) => c.method === 'scanCancel')).toBe(true));
  });
});
