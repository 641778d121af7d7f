// The fake's import and export: files chosen by handle, the preview each file answers (its own rows,
// or what the test scripted; planning is Rust's job, tested there), an all-or-nothing apply that adds
// the previewed rows with progress (optionally held at a gate), cancel, and exports recorded as files.
import {
  BackendError,
  type ExportFormat,
  type ExportRequest,
  type ExportResult,
  type ImportPreview,
  type ImportRequest,
  type ImportSummary,
  type PickedFile,
  type PreviewRow,
  type TokenKind,
} from '../types';
import { FAKE_VAULT_DIR, maskHint, type FakeState } from './state';
import type { FakeImportRow, PlannedRow } from './types';

/** The fake user's home: exports into its dot-folders are refused, as Rust refuses them. */
export const FAKE_HOME = '/home/test';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function pick(s: FakeState, purpose: 'import' | 'export'): PickedFile | null {
  const path = s.picks.shift() ?? null;
  if (path === null) return null;
  if (purpose === 'export') refuseExportPlace(path);
  const handle = `handle-${s.nextHandle++}`;
  s.handles.set(handle, { path, purpose });
  return { handle, name: baseName(path) };
}

function refuseExportPlace(path: string): void {
  const inVault = path === FAKE_VAULT_DIR || path.startsWith(`${FAKE_VAULT_DIR}/`);
  const inDotFolder = path.startsWith(`${FAKE_HOME}/.`);
  if (inVault || inDotFolder) {
    const where = inVault
      ? "is inside the vault's own folder"
      : 'is in a hidden folder of your home directory';
    throw new BackendError('invalid_input', `path: ${path} ${where}; choose another folder`);
  }
}

/** The path behind a handle this session handed out for `purpose`. */
function picked(s: FakeState, handle: string, purpose: 'import' | 'export'): string {
  const found = s.handles.get(handle);
  if (!found || found.purpose !== purpose) {
    throw new BackendError(
      'invalid_input',
      'file: that file choice is no longer valid (the vault locked since): choose the file again',
    );
  }
  return found.path;
}

export function importPick(s: FakeState): Promise<PickedFile | null> {
  return s.run('importPick', [], () => {
    s.requireUnlocked();
    return pick(s, 'import');
  });
}

export function exportPick(s: FakeState, format: ExportFormat): Promise<PickedFile | null> {
  return s.run('exportPick', [format], () => {
    s.requireUnlocked();
    return pick(s, 'export');
  });
}

export function importPreview(s: FakeState, request: ImportRequest): Promise<ImportPreview> {
  return s.run('importPreview', [request], () => {
    s.requireUnlocked();
    s.plan = null;
    const path = picked(s, request.handle, 'import');
    const name = baseName(path);
    const file = s.files.get(path);
    if (!file) throw new BackendError('not_found', `There is no file at ${name}.`);
    if ('exported' in file) {
      throw new BackendError('invalid_input', `${name}: the fake cannot read exports.`);
    }
    const answer = {
      ...file,
      // The column mapping asked for, once the person has chosen one.
      columns: request.columns.length ? request.columns : (file.columns ?? []),
      ...s.answers.importPreview.take(structuredClone(request)),
    };
    const planned = answer.rows.map((row, index) => plannedRow(s, row, `entry ${index + 1}`));
    const summary = summarise(answer.format, planned);
    s.plan = { rows: planned, summary };
    return structuredClone({
      file: name,
      format: answer.format,
      rows: planned.map((p) => p.row),
      columns: answer.columns ?? [],
      summary,
    });
  });
}

export function importApply(s: FakeState): Promise<ImportSummary> {
  return s.run('importApply', [], async () => {
    s.requireUnlocked();
    const plan = s.plan;
    if (!plan) throw new BackendError('invalid_input', 'Preview a file before importing it.');
    const work = plan.rows.filter((p) => p.row.action !== 'skip');
    const step = Math.max(1, Math.ceil(work.length / 10));
    let waited = false;
    for (let done = step; done < work.length + step; done += step) {
      const progress = { done: Math.min(done, work.length), total: work.length };
      for (const listener of [...s.progressListeners]) listener(progress);
      if (s.importGate && !waited && progress.done * 2 >= work.length) {
        waited = true;
        await s.importGate;
      }
    }
    // All or nothing: a cancel during the apply leaves the vault as it was.
    if (s.plan !== plan) {
      throw new BackendError('invalid_input', 'The import was cancelled; nothing was imported.');
    }
    for (const { row, secret } of work) {
      const meta = {
        name: row.name,
        provider: row.provider,
        kind: row.kind as TokenKind,
        expires_at: row.expires_at,
      };
      const existing = row.duplicate_of ? s.tokens.get(row.duplicate_of) : undefined;
      if (row.action === 'update' && existing) {
        existing.view = { ...existing.view, ...meta, updated_at: s.now.toISOString() };
        existing.view.provider_name = s.providerName(existing.view.provider);
        s.audit('token_updated', existing.view.id, { import: true });
      } else {
        const view = s.seed({ ...meta, secret });
        s.audit('token_added', view.id, { import: true });
      }
    }
    s.plan = null;
    return { ...plan.summary };
  });
}

export function importCancel(s: FakeState): Promise<void> {
  return s.run('importCancel', [], () => {
    s.plan = null;
  });
}

export function exportFile(s: FakeState, request: ExportRequest): Promise<ExportResult> {
  return s.run('exportFile', [request], () => {
    s.requireUnlocked();
    const path = picked(s, request.handle, 'export');
    refuseExportPlace(path);
    if (s.files.has(path) && !request.overwrite) {
      throw new BackendError(
        'invalid_input',
        `${baseName(path)} already exists. Choose another name or allow replacing it.`,
      );
    }
    if (request.format === 'backup' && !request.passphrase) {
      throw new BackendError('invalid_input', 'A backup needs a passphrase.');
    }
    const inClear =
      request.format === 'keepassxc-xml' ||
      (request.format !== 'backup' && request.include_secrets);
    if (inClear) s.requirePassword(request.password);
    const tokens = s.tokens.size;
    s.files.set(path, { exported: structuredClone(request), tokens });
    return {
      name: baseName(path),
      tokens,
      with_secrets: request.format === 'backup' || inClear,
    };
  });
}

/** A scripted row as the preview shows it, with the secret applying it would store. */
function plannedRow(s: FakeState, source: FakeImportRow, at: string): PlannedRow {
  const problems = source.problems ?? [];
  return {
    secret: source.secret,
    row: {
      at,
      name: source.name,
      provider: source.provider ?? 'other',
      provider_name: s.providerName(source.provider ?? 'other'),
      provider_detected: source.provider_detected ?? false,
      kind: source.kind ?? 'api_key',
      hint: source.secret ? maskHint(source.secret) : '',
      expires_at: source.expires_at ?? null,
      action: source.action ?? (problems.length ? 'skip' : 'create'),
      duplicate_of: source.duplicate_of ?? null,
      usages: source.usages ?? 0,
      problems,
    },
  };
}

function summarise(format: string, planned: PlannedRow[]): ImportSummary {
  const count = (action: PreviewRow['action']) =>
    planned.filter((p) => p.row.action === action).length;
  return {
    format,
    created: count('create'),
    updated: count('update'),
    skipped: count('skip'),
    usages: planned.reduce((sum, p) => sum + (p.row.action === 'skip' ? 0 : p.row.usages), 0),
    events: 0,
    errors: planned.filter((p) => p.row.problems.length > 0).length,
  };
}
