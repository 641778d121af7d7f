// An in-memory Backend for tests and previews: no IPC, no disk. It behaves like the Rust side
// (wrong password, locked vault, validation) with a settable clock; secrets stay in a private map.
import { FAKE_CATALOG, FAKE_ROTATE_INVALIDATES, fakeDetect } from './fake-providers';
import type { Backend } from './index';
import {
  BackendError,
  DEFAULT_SETTINGS,
  TOKEN_KINDS,
  type AuditEvent,
  type ColumnMap,
  type CopyResult,
  type Detection,
  type DueNotice,
  type ExportRequest,
  type ExportResult,
  type ImportField,
  type ImportFormat,
  type ImportPreview,
  type ImportProgress,
  type ImportRequest,
  type ImportSummary,
  type OpenToken,
  type PreviewRow,
  type ProviderApiUrl,
  type ProviderInfo,
  type ProviderPage,
  type ProviderView,
  type RevokeHow,
  type RevokeOutcome,
  type Rotation,
  type RotationAction,
  type RotationMethod,
  type RotationStep,
  type Settings,
  type TokenDetail,
  type TokenInput,
  type TokenKind,
  type TokenStatus,
  type TokenView,
  type Usage,
  type VaultStatus,
  type VerifyReport,
} from './types';

export const FAKE_VAULT_DIR = '/home/test/.local/share/tokenwarden';
export const FAKE_NOW = '2026-01-15T12:00:00Z';

/** A token to preload: its secret plus any metadata worth fixing in a test. */
/**
 * A live token with nothing recorded but its id and times: an `other` API key with no expiry, no
 * checks and no history. The fake seeds from it; tests spread their fields over it.
 */
export function blankTokenView(id: string, stamp: string): TokenView {
  return {
    id,
    name: id,
    provider: 'other',
    kind: 'api_key',
    hint: '',
    account: null,
    environment: null,
    scopes: [],
    tags: [],
    notes: null,
    url: null,
    created_at: stamp,
    updated_at: stamp,
    expires_at: null,
    status: 'active',
    rotation_max_age_days: null,
    last_verified_at: null,
    last_verified_result: null,
    last_used_at: null,
    revoked_at: null,
    revoke_method: null,
    replaced_by: null,
    replaces: null,
  };
}

export interface FakeSeed extends Partial<Omit<TokenView, 'hint'>> {
  name: string;
  secret?: string;
}

export interface FakeOptions {
  exists?: boolean;
  locked?: boolean;
  keyringSlot?: boolean;
  password?: string;
  now?: string | Date;
  tokens?: FakeSeed[];
  usages?: Omit<Usage, 'id'>[];
  settings?: Partial<Settings>;
  files?: Record<string, FakeFile>;
  /** Providers at which a check was already made (no first-check confirmation). */
  checkedProviders?: string[];
  /** API addresses saved in the vault, by provider (as setProviderApiUrl would store them). */
  apiUrls?: Record<string, string>;
  /** `TOKENWARDEN_API_<PROVIDER>` values "in the environment", by provider. */
  apiEnv?: Record<string, string>;
}

/**
 * What the provider knows about a secret. Fields left out default to what the vault holds
 * (valid, the token's scopes and expiry, owner `acme-ci`, never used).
 */
export interface FakeRemote {
  valid: boolean;
  owner: string | null;
  scopes: string[] | null;
  expires_at: string | null;
  last_used_at: string | null;
}

export type FakeMethod = Exclude<
  keyof Backend,
  'onLocked' | 'onImportProgress' | 'onRemindersDue' | 'onOpenRequest'
>;

/** One entry of a canned import file; the fake works out the hint, provider and action. */
export interface FakeImportRow {
  name: string;
  secret: string;
  /** Omitted: detected from the secret's prefix, as the Rust importers do. */
  provider?: string;
  kind?: string;
  expires_at?: string | null;
  usages?: number;
  problems?: string[];
}

/**
 * A "file" the fake can read: canned rows in a given format (a backup may need a passphrase),
 * CSV text it parses minimally (comma-separated, no quoting), or what an export wrote.
 */
export type FakeFile =
  | { format: ImportFormat; rows: FakeImportRow[]; passphrase?: string }
  | { csv: string }
  | { exported: ExportRequest; tokens: number };

interface PlannedRow {
  row: PreviewRow;
  secret: string;
}

/** `ghp_…a1B2`: the prefix up to the first separator and the last four characters. */
export function maskHint(secret: string): string {
  const prefix = /^[A-Za-z]{2,8}[_-]/.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

interface Stored {
  view: TokenView;
  secret: string;
}

export class FakeBackend implements Backend {
  /** The fake's clock; set it to move time for created/updated stamps and history. */
  now: Date;
  status: VaultStatus;
  password: string;
  settings: Settings;
  /** Whether the app starts at login (the OS setting the real backend reads and writes). */
  autostart = false;
  /** When set, every call rejects with it (e.g. a corrupt vault). */
  error: BackendError | null = null;
  /** Per-method failures, consumed by the next call of that method. */
  failNext: Partial<Record<FakeMethod, BackendError>> = {};
  /** Every call, in order, with its arguments (secrets included: this is a test double). */
  readonly log: { method: string; args: unknown[] }[] = [];
  /** What the last copySecret "put on the clipboard". */
  clipboard: string | null = null;

  private readonly tokens = new Map<string, Stored>();
  private readonly usages: Usage[] = [];
  private readonly history: AuditEvent[] = [];
  private readonly lockListeners = new Set<() => void>();
  private readonly progressListeners = new Set<(progress: ImportProgress) => void>();
  private readonly reminderListeners = new Set<(due: DueNotice[]) => void>();
  private readonly openListeners = new Set<() => void>();
  private openRequest: OpenToken | null = null;
  private plan: { rows: PlannedRow[]; summary: ImportSummary } | null = null;
  private nextId = 1;
  /** Files by path, for importPreview to read and exportFile to (over)write. */
  readonly files = new Map<string, FakeFile>();
  /** When set, importApply reports half its progress, then waits for this before finishing. */
  importGate: Promise<void> | null = null;
  /** The providers the fake knows, by id; tests may add or change entries. */
  readonly catalog = new Map<string, ProviderInfo>(
    FAKE_CATALOG.map((p) => [p.id, structuredClone(p)]),
  );
  /** What each provider says about a secret (by secret value); see FakeRemote. */
  readonly remote = new Map<string, Partial<FakeRemote>>();
  /** Providers that fail every call (offline, rate limited, …) until the entry is deleted. */
  readonly providerErrors = new Map<string, BackendError>();
  /** Providers whose checks alone fail (other calls go through) until the entry is deleted. */
  readonly checkErrors = new Map<string, BackendError>();
  /** Providers at which a check has been made. */
  readonly checked = new Set<string>();
  /** Pages openProviderPage "opened". */
  readonly opened: { provider: string; page: ProviderPage }[] = [];
  /** API addresses saved in the vault, by provider (normalised, `https://host/`). */
  readonly apiUrls = new Map<string, string>();
  /** `TOKENWARDEN_API_<PROVIDER>` values "in the environment", by provider. */
  readonly apiEnv = new Map<string, string>();
  private readonly rotations = new Map<string, Rotation>();
  /** New secrets of rotations not yet promoted, by rotation id. */
  private readonly pendingSecrets = new Map<string, string>();
  private nextRotation = 1;

  constructor(options: FakeOptions = {}) {
    this.now = new Date(options.now ?? FAKE_NOW);
    const exists =
      options.exists ?? (options.tokens !== undefined || options.password !== undefined);
    this.status = {
      dir: FAKE_VAULT_DIR,
      exists,
      locked: options.locked ?? true,
      keyring_slot: options.keyringSlot ?? false,
      kdf: exists ? { memory_kib: 65536, iterations: 3, parallelism: 4 } : null,
    };
    this.password = options.password ?? 'correct horse battery';
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    for (const seed of options.tokens ?? []) this.seed(seed);
    for (const usage of options.usages ?? []) {
      this.usages.push({ ...usage, id: `use-${this.usages.length + 1}` });
    }
    for (const [path, file] of Object.entries(options.files ?? {})) this.files.set(path, file);
    for (const provider of options.checkedProviders ?? []) this.checked.add(provider);
    for (const [provider, url] of Object.entries(options.apiUrls ?? {})) {
      this.apiUrls.set(provider, url);
    }
    for (const [provider, url] of Object.entries(options.apiEnv ?? {})) {
      this.apiEnv.set(provider, url);
    }
  }

  /** Adds a token directly (no lock check, no audit) and returns its view. */
  seed(seed: FakeSeed): TokenView {
    const { secret = `secret-${this.nextId}-abcd`, ...meta } = seed;
    const stamp = this.now.toISOString();
    const view: TokenView = {
      ...blankTokenView(`tok-${this.nextId++}`, stamp),
      ...meta,
      hint: maskHint(secret),
    };
    this.tokens.set(view.id, { view, secret });
    return structuredClone(view);
  }

  /** Simulates Rust locking the vault by itself and emitting `vault-locked`. */
  emitLocked(): void {
    this.status.locked = true;
    for (const listener of [...this.lockListeners]) listener();
  }

  /** Simulates Rust sending reminders no notification server took (`reminders-due`). */
  emitRemindersDue(due: DueNotice[]): void {
    for (const listener of [...this.reminderListeners]) listener(structuredClone(due));
  }

  /** Simulates the tray or a notification asking to show a token (`open-token`). */
  requestOpen(id: string, rotate = false): void {
    this.openRequest = { id, rotate };
    for (const listener of [...this.openListeners]) listener();
  }

  get listenerCount(): number {
    return this.lockListeners.size;
  }

  vaultStatus(): Promise<VaultStatus> {
    return this.run('vaultStatus', [], () => structuredClone(this.status));
  }

  createVault(password: string, useKeyring: boolean): Promise<void> {
    return this.run('createVault', [password, useKeyring], () => {
      if (this.status.exists) throw new BackendError('already_exists', 'A vault already exists.');
      if (password.length < 8) {
        throw new BackendError('invalid_input', 'The password must be at least 8 characters.');
      }
      this.password = password;
      this.status = {
        ...this.status,
        exists: true,
        locked: false,
        keyring_slot: useKeyring,
        kdf: { memory_kib: 65536, iterations: 3, parallelism: 4 },
      };
      this.audit('vault_created', null, {});
    });
  }

  unlock(password: string): Promise<void> {
    return this.run('unlock', [password], () => {
      this.requireExists();
      if (password !== this.password) {
        throw new BackendError('wrong_password', 'That password does not open this vault.');
      }
      this.status.locked = false;
    });
  }

  unlockWithKeyring(): Promise<void> {
    return this.run('unlockWithKeyring', [], () => {
      this.requireExists();
      if (!this.status.keyring_slot) {
        throw new BackendError('keyring_unavailable', 'Keyring unlock is not set up.');
      }
      this.status.locked = false;
    });
  }

  lock(): Promise<void> {
    return this.run('lock', [], () => {
      this.status.locked = true;
    });
  }

  listTokens(): Promise<TokenView[]> {
    return this.run('listTokens', [], () => {
      this.requireUnlocked();
      return [...this.tokens.values()].map((t) => structuredClone(t.view));
    });
  }

  getToken(id: string): Promise<TokenDetail> {
    return this.run('getToken', [id], () => {
      const stored = this.find(id);
      return structuredClone({
        token: stored.view,
        usages: this.usages.filter((u) => u.token_id === id),
        history: this.history.filter((e) => e.token_id === id),
      });
    });
  }

  addToken(input: TokenInput): Promise<TokenView> {
    return this.run('addToken', [input], () => {
      this.requireUnlocked();
      validate(input);
      if (!input.secret) throw new BackendError('invalid_input', 'Paste the token’s secret.');
      const { secret, ...meta } = input;
      const view = this.seed({ ...meta, secret, status: 'active' });
      this.audit('token_added', view.id, { name: view.name });
      return view;
    });
  }

  updateToken(id: string, input: TokenInput): Promise<TokenView> {
    return this.run('updateToken', [id, input], () => {
      const stored = this.find(id);
      validate(input);
      const { secret, ...meta } = input;
      if (secret) {
        stored.secret = secret;
        stored.view.hint = maskHint(secret);
      }
      stored.view = { ...stored.view, ...meta, updated_at: this.now.toISOString() };
      this.audit('token_updated', id, { secret_changed: Boolean(secret) });
      return structuredClone(stored.view);
    });
  }

  archiveToken(id: string): Promise<void> {
    return this.run('archiveToken', [id], () => {
      this.setStatus(this.find(id), 'archived');
      this.audit('token_archived', id, {});
    });
  }

  deleteToken(id: string): Promise<void> {
    return this.run('deleteToken', [id], () => {
      this.find(id);
      this.tokens.delete(id);
      this.audit('token_deleted', id, {});
    });
  }

  revealSecret(id: string): Promise<string> {
    return this.run('revealSecret', [id], () => {
      const stored = this.find(id);
      this.audit('secret_revealed', id, {});
      return stored.secret;
    });
  }

  copySecret(id: string): Promise<CopyResult> {
    return this.run('copySecret', [id], () => {
      this.clipboard = this.find(id).secret;
      this.audit('secret_copied', id, {});
      return { clear_after_secs: this.settings.clipboard_clear_secs };
    });
  }

  getSettings(): Promise<Settings> {
    return this.run('getSettings', [], () => {
      this.requireUnlocked();
      return { ...this.settings };
    });
  }

  saveSettings(settings: Settings): Promise<void> {
    return this.run('saveSettings', [settings], () => {
      this.requireUnlocked();
      // The same ranges tokenwarden-core's Settings::validate enforces.
      if (settings.urgent_days > settings.warn_days) {
        throw new BackendError('invalid_input', 'urgent_days: must not be more than warn_days');
      }
      if (settings.clipboard_clear_secs < 5 || settings.clipboard_clear_secs > 3600) {
        throw new BackendError(
          'invalid_input',
          'clipboard_clear_secs: must be between 5 and 3600 seconds',
        );
      }
      if (settings.auto_lock_secs < 30 || settings.auto_lock_secs > 86_400) {
        throw new BackendError(
          'invalid_input',
          'auto_lock_secs: must be between 30 seconds and 24 hours',
        );
      }
      this.settings = { ...settings };
    });
  }

  setKeyringUnlock(enabled: boolean): Promise<void> {
    return this.run('setKeyringUnlock', [enabled], () => {
      this.requireUnlocked();
      this.status.keyring_slot = enabled;
    });
  }

  getAutostart(): Promise<boolean> {
    return this.run('getAutostart', [], () => this.autostart);
  }

  setAutostart(enabled: boolean): Promise<void> {
    return this.run('setAutostart', [enabled], () => {
      this.autostart = enabled;
    });
  }

  importPreview(request: ImportRequest): Promise<ImportPreview> {
    return this.run('importPreview', [request], () => {
      this.requireUnlocked();
      this.plan = null;
      const file = this.files.get(request.path);
      if (!file) throw new BackendError('not_found', `There is no file at ${request.path}.`);
      if ('exported' in file) {
        throw new BackendError('invalid_input', `${request.path}: the fake cannot read exports.`);
      }
      const format = 'csv' in file ? 'csv' : file.format;
      if (request.format !== null && request.format !== format) {
        throw new BackendError(
          'invalid_input',
          `${request.path}: line 1: this is not a ${request.format} file.`,
        );
      }
      let columns: ColumnMap[] = [];
      let rows: FakeImportRow[];
      if ('csv' in file) {
        ({ columns, rows } = parseCsv(request.path, file.csv, request.columns));
      } else {
        if (file.passphrase !== undefined && request.passphrase === null) {
          throw new BackendError(
            'passphrase_needed',
            `${request.path} is an encrypted backup: enter its passphrase.`,
          );
        }
        if (file.passphrase !== undefined && request.passphrase !== file.passphrase) {
          throw new BackendError('passphrase_needed', 'That passphrase does not open this backup.');
        }
        rows = file.rows;
      }
      const planned = rows.map((row, index) =>
        this.planRow(row, 'csv' in file ? `line ${index + 2}` : `entry ${index + 1}`, request),
      );
      const summary = summarise(format, planned);
      this.plan = { rows: planned, summary };
      return structuredClone({
        file: request.path,
        format,
        rows: planned.map((p) => p.row),
        columns,
        summary,
      });
    });
  }

  importApply(): Promise<ImportSummary> {
    return this.run('importApply', [], async () => {
      this.requireUnlocked();
      const plan = this.plan;
      if (!plan) throw new BackendError('invalid_input', 'Preview a file before importing it.');
      const work = plan.rows.filter((p) => p.row.action !== 'skip');
      const step = Math.max(1, Math.ceil(work.length / 10));
      let waited = false;
      for (let done = step; done < work.length + step; done += step) {
        const progress = { done: Math.min(done, work.length), total: work.length };
        for (const listener of [...this.progressListeners]) listener(progress);
        if (this.importGate && !waited && progress.done * 2 >= work.length) {
          waited = true;
          await this.importGate;
        }
      }
      // All or nothing: a cancel during the apply leaves the vault as it was.
      if (this.plan !== plan) {
        throw new BackendError('invalid_input', 'The import was cancelled; nothing was imported.');
      }
      for (const { row, secret } of work) {
        const meta = {
          name: row.name,
          provider: row.provider,
          kind: row.kind as TokenKind,
          expires_at: row.expires_at,
        };
        const existing = row.duplicate_of ? this.tokens.get(row.duplicate_of) : undefined;
        if (row.action === 'update' && existing) {
          existing.view = { ...existing.view, ...meta, updated_at: this.now.toISOString() };
          this.audit('token_updated', existing.view.id, { import: true });
        } else {
          const view = this.seed({ ...meta, secret });
          this.audit('token_added', view.id, { import: true });
        }
      }
      this.plan = null;
      return { ...plan.summary };
    });
  }

  importCancel(): Promise<void> {
    return this.run('importCancel', [], () => {
      this.plan = null;
    });
  }

  onImportProgress(callback: (progress: ImportProgress) => void): Promise<() => void> {
    this.log.push({ method: 'onImportProgress', args: [] });
    this.progressListeners.add(callback);
    return Promise.resolve(() => {
      this.progressListeners.delete(callback);
    });
  }

  exportFile(request: ExportRequest): Promise<ExportResult> {
    return this.run('exportFile', [request], () => {
      this.requireUnlocked();
      if (!request.path.trim()) throw new BackendError('invalid_input', 'Choose where to save.');
      if (this.files.has(request.path) && !request.overwrite) {
        throw new BackendError(
          'invalid_input',
          `${request.path} already exists. Choose another name or allow replacing it.`,
        );
      }
      if (request.format === 'backup' && !request.passphrase) {
        throw new BackendError('invalid_input', 'A backup needs a passphrase.');
      }
      const tokens = this.tokens.size;
      this.files.set(request.path, { exported: structuredClone(request), tokens });
      return {
        path: request.path,
        tokens,
        with_secrets:
          request.format === 'backup' ||
          request.format === 'keepassxc-xml' ||
          request.include_secrets,
      };
    });
  }

  onLocked(callback: () => void): Promise<() => void> {
    this.log.push({ method: 'onLocked', args: [] });
    this.lockListeners.add(callback);
    return Promise.resolve(() => {
      this.lockListeners.delete(callback);
    });
  }

  takeOpenRequest(): Promise<OpenToken | null> {
    return this.run('takeOpenRequest', [], () => {
      const request = this.openRequest;
      this.openRequest = null;
      return request;
    });
  }

  onOpenRequest(callback: () => void): Promise<() => void> {
    this.log.push({ method: 'onOpenRequest', args: [] });
    this.openListeners.add(callback);
    return Promise.resolve(() => {
      this.openListeners.delete(callback);
    });
  }

  onRemindersDue(callback: (due: DueNotice[]) => void): Promise<() => void> {
    this.log.push({ method: 'onRemindersDue', args: [] });
    this.reminderListeners.add(callback);
    return Promise.resolve(() => {
      this.reminderListeners.delete(callback);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Providers: the same checks and refusals as the Rust side, against the in-memory `remote`.

  detectSecret(secret: string): Promise<Detection | null> {
    return this.run('detectSecret', [secret], () => fakeDetect(secret));
  }

  providerInfo(provider: string): Promise<ProviderView | null> {
    return this.run('providerInfo', [provider], () => {
      const info = this.catalog.get(provider);
      if (!info) return null;
      return structuredClone({
        info,
        checked_before: this.checked.has(provider),
        api_base: info.api_base,
      });
    });
  }

  providerApiUrls(): Promise<ProviderApiUrl[]> {
    return this.run('providerApiUrls', [], () => {
      this.requireUnlocked();
      return this.apiUrlList();
    });
  }

  setProviderApiUrl(provider: string, url: string | null): Promise<ProviderApiUrl[]> {
    return this.run('setProviderApiUrl', [provider, url], () => {
      this.requireUnlocked();
      if (!FAKE_API_BASES.some(([id]) => id === provider)) {
        throw new BackendError('invalid_input', `url: ${provider} has no API address to set`);
      }
      const raw = url?.trim() ?? '';
      if (raw) this.apiUrls.set(provider, checkApiUrl(raw));
      else this.apiUrls.delete(provider);
      return this.apiUrlList();
    });
  }

  private apiUrlList(): ProviderApiUrl[] {
    return FAKE_API_BASES.map(([provider, name, default_url]) => ({
      provider,
      name,
      default_url,
      url: this.apiUrls.get(provider) ?? null,
      env_url: this.apiEnv.get(provider) ?? null,
    }));
  }

  verifyToken(id: string): Promise<VerifyReport> {
    return this.run('verifyToken', [id], () => {
      const stored = this.find(id);
      const info = this.providerFor(stored.view.provider, 'verify');
      this.reach(info);
      const remote = this.remoteFor(stored.secret, stored.view);
      const checkedAt = this.now.toISOString();
      let differs: VerifyReport['expiry_differs'] = null;
      if (remote.valid && !sameInstant(remote.expires_at, stored.view.expires_at)) {
        differs = { ours: stored.view.expires_at, provider: remote.expires_at };
      }
      stored.view = {
        ...stored.view,
        expires_at: differs ? remote.expires_at : stored.view.expires_at,
        last_verified_at: checkedAt,
        last_verified_result: remote.valid ? 'valid' : 'invalid',
        last_used_at: remote.last_used_at ?? stored.view.last_used_at ?? null,
        updated_at: checkedAt,
      };
      this.audit('token_verified', id, { valid: remote.valid });
      const scopes = remote.valid ? remote.scopes : null;
      return structuredClone({
        token: stored.view,
        valid: remote.valid,
        owner: remote.valid ? remote.owner : null,
        scopes,
        dangerous_scopes: (scopes ?? []).filter((s) => info.dangerous_scopes.includes(s)),
        expires_at: remote.valid ? remote.expires_at : null,
        last_used_at: remote.last_used_at,
        detail: remote.valid
          ? null
          : `${info.name} does not accept this token: it was revoked, has expired or is mistyped.`,
        expiry_differs: differs,
        checked_at: checkedAt,
      });
    });
  }

  openProviderPage(provider: string, page: ProviderPage): Promise<void> {
    return this.run('openProviderPage', [provider, page], () => {
      const info = this.catalog.get(provider);
      if (!info) throw new BackendError('invalid_input', `'${provider}' is not in the catalog`);
      const { urls } = info;
      const fallback = page === 'rotate' ? urls.create : page === 'revoke' ? urls.manage : null;
      if (!(urls[page] ?? fallback ?? urls.manage)) {
        throw new BackendError('invalid_input', `${info.name} lists no such page`);
      }
      this.opened.push({ provider, page });
    });
  }

  rotationStart(tokenId: string, method: RotationMethod): Promise<Rotation> {
    return this.run('rotationStart', [tokenId, method], () => {
      const { view } = this.find(tokenId);
      const open = this.openRotation(tokenId);
      if (open) {
        throw new BackendError(
          'invalid_input',
          `'${view.name}' is already being rotated (step '${open.step}'): resume or abort that rotation`,
        );
      }
      if (view.status === 'revoked' || view.status === 'archived') {
        throw new BackendError(
          'invalid_input',
          `'${view.name}' is ${view.status}: only a live token can be rotated`,
        );
      }
      if (view.status === 'rotating') {
        throw new BackendError(
          'invalid_input',
          `'${view.name}' has already been replaced; rotate its replacement instead`,
        );
      }
      if (method === 'api' && !this.catalog.get(view.provider)?.api.rotate) {
        throw new BackendError(
          'invalid_input',
          `${this.displayName(view.provider)} has no rotation API: use the guided rotation`,
        );
      }
      const stamp = this.now.toISOString();
      const rotation: Rotation = {
        id: `rot-${this.nextRotation++}`,
        token_id: tokenId,
        token_name: view.name,
        provider: view.provider,
        method,
        step: 'started',
        new_token_id: null,
        new_hint: null,
        new_expires_at: null,
        verified_by: null,
        old_invalidated: false,
        consumers: this.usages
          .filter((u) => u.token_id === tokenId)
          .map((u) => ({ usage_id: u.id, kind: u.kind, location: u.location, done: false })),
        revoke_method: null,
        started_at: stamp,
        updated_at: stamp,
      };
      this.rotations.set(rotation.id, rotation);
      this.audit('rotation_started', tokenId, { rotation: rotation.id, method });
      return structuredClone(rotation);
    });
  }

  rotationFor(tokenId: string): Promise<Rotation | null> {
    return this.run('rotationFor', [tokenId], () => {
      this.requireUnlocked();
      return structuredClone(this.openRotation(tokenId) ?? null);
    });
  }

  rotationsOpen(): Promise<Rotation[]> {
    return this.run('rotationsOpen', [], () => {
      this.requireUnlocked();
      return structuredClone([...this.rotations.values()].filter(isOpen));
    });
  }

  rotationStep(rotationId: string, action: RotationAction): Promise<Rotation> {
    return this.run('rotationStep', [rotationId, action], () => {
      this.requireUnlocked();
      const rotation = this.rotations.get(rotationId);
      if (!rotation) throw new BackendError('not_found', 'That rotation no longer exists.');
      this.advance(rotation, action);
      return structuredClone(rotation);
    });
  }

  revokeToken(id: string, how: RevokeHow, reverify: boolean): Promise<RevokeOutcome> {
    return this.run('revokeToken', [id, how, reverify], () =>
      this.revokeOne(this.find(id), how, reverify),
    );
  }

  panicRevoke(ids: string[]): Promise<RevokeOutcome[]> {
    return this.run('panicRevoke', [ids], () => {
      this.requireUnlocked();
      return ids.map((id): RevokeOutcome => {
        const stored = this.find(id);
        const { view } = stored;
        if (view.status === 'revoked') {
          return { ...outcomeBase(view), outcome: 'revoked', method: view.revoke_method ?? null };
        }
        if (!this.catalog.get(view.provider)?.api.revoke) {
          return { ...outcomeBase(view), outcome: 'needs_manual' };
        }
        try {
          return this.revokeOne(stored, view.provider === 'github' ? 'report_leak' : 'api', false);
        } catch (error) {
          const failure =
            error instanceof BackendError ? error : new BackendError('internal', String(error));
          return {
            ...outcomeBase(view),
            outcome: 'failed',
            error: { code: failure.code, message: failure.message },
          };
        }
      });
    });
  }

  /**
   * Revokes one token the way asked, as the Rust side does: refusals and provider failures
   * throw; a "confirmed" revocation the provider still accepts on reverify is a `failed`
   * outcome and records nothing.
   */
  private revokeOne(stored: Stored, how: RevokeHow, reverify: boolean): RevokeOutcome {
    const { view } = stored;
    if (view.status === 'revoked') {
      return { ...outcomeBase(view), outcome: 'revoked', method: view.revoke_method ?? null };
    }
    const rotation = this.openRotation(view.id);
    if (rotation && ABORTABLE.includes(rotation.step)) {
      throw new BackendError(
        'invalid_input',
        `'${view.name}' is being rotated (step '${rotation.step}'): abort or finish that rotation before revoking it`,
      );
    }
    const info = this.catalog.get(view.provider);
    if (how === 'later') {
      throw new BackendError(
        'invalid_input',
        "'later' only applies to the old token of a rotation",
      );
    }
    if (how === 'report_leak' && view.provider !== 'github') {
      throw new BackendError(
        'invalid_input',
        "reporting a leak is GitHub's credential-revocation API: this is not a GitHub token",
      );
    }
    if (how === 'api' || how === 'report_leak') {
      if (!info?.api.revoke) {
        throw new BackendError(
          'invalid_input',
          `${this.displayName(view.provider)} has no revoke API: revoke '${view.name}' at the provider's site, then confirm`,
        );
      }
      this.reach(info);
      this.setRemote(stored.secret, { valid: false });
    } else if (this.remote.get(stored.secret)?.valid === undefined) {
      // 'confirmed': the person did revoke it at the provider, unless a test says otherwise.
      this.setRemote(stored.secret, { valid: false });
    }
    let reverified: boolean | null = null;
    if (reverify && info?.api.verify) {
      try {
        this.reach(info);
        const checkFailure = this.checkErrors.get(info.id);
        if (checkFailure) throw checkFailure;
      } catch (failure) {
        // After an API revocation the provider has acted: record it, unproven. A confirmed
        // one needs the check's proof.
        if (how === 'confirmed') throw failure;
        if (rotation?.step === 'promoted') this.recordOldRevoked(rotation, how);
        else this.markRevoked(stored, how);
        return { ...outcomeBase(view), outcome: 'revoked', method: how, reverified: null };
      }
      const stillValid = this.remoteFor(stored.secret, view).valid;
      reverified = !stillValid;
      if (stillValid && how === 'confirmed') {
        return {
          ...outcomeBase(view),
          outcome: 'failed',
          reverified: false,
          error: {
            code: 'invalid_input',
            message: `${info.name} still accepts '${view.name}': it is not revoked yet (nothing was recorded)`,
          },
        };
      }
    }
    if (rotation?.step === 'promoted') this.recordOldRevoked(rotation, how);
    else this.markRevoked(stored, how);
    return { ...outcomeBase(view), outcome: 'revoked', method: how, reverified };
  }

  /** The rotation state machine: each action at the steps it fits, refused everywhere else. */
  private advance(rotation: Rotation, action: RotationAction): void {
    const at = (what: string, ...steps: RotationStep[]) => {
      if (!steps.includes(rotation.step)) {
        throw new BackendError(
          'invalid_input',
          `cannot ${what}: the rotation of '${rotation.token_name}' is at step '${rotation.step}' (this needs '${steps.join("' or '")}')`,
        );
      }
    };
    const move = (step: RotationStep) => {
      rotation.step = step;
      rotation.updated_at = this.now.toISOString();
      this.audit('rotation_step', rotation.token_id, { rotation: rotation.id, step });
    };
    const old = this.find(rotation.token_id);
    switch (action.action) {
      case 'store_secret': {
        at('store the new token', 'started');
        const secret = action.secret.trim();
        if (!secret) throw new BackendError('invalid_input', 'Paste the new token.');
        if (secret === old.secret) {
          throw new BackendError(
            'invalid_input',
            'this is the token being replaced: paste the NEW token the provider just made',
          );
        }
        checkDate(action.expires_at);
        this.storeNew(rotation, secret, action.expires_at, false);
        move('new_stored');
        return;
      }
      case 'api_rotate': {
        at('ask the provider for a new token', 'started');
        if (rotation.method !== 'api') {
          throw new BackendError(
            'invalid_input',
            'this is a guided rotation: paste the new token instead',
          );
        }
        checkDate(action.expires_at);
        const info = this.catalog.get(rotation.provider);
        if (!info?.api.rotate) {
          throw new BackendError(
            'invalid_input',
            `${this.displayName(rotation.provider)} has no rotation API: use the guided rotation`,
          );
        }
        this.reach(info);
        const lifetime = info.kinds[0]?.default_lifetime_days ?? null;
        const expires =
          action.expires_at ??
          (lifetime === null
            ? null
            : new Date(this.now.getTime() + lifetime * DAY_MS).toISOString());
        const prefix = /^[A-Za-z]{2,8}[_-]/.exec(old.secret)?.[0] ?? '';
        const issued = `${prefix}issued${this.nextRotation}by${info.id}NEW${rotation.id.length}`;
        const invalidates = FAKE_ROTATE_INVALIDATES.has(rotation.provider);
        this.storeNew(rotation, issued, expires, invalidates);
        if (invalidates) this.setRemote(old.secret, { valid: false });
        move('new_stored');
        return;
      }
      case 'verify': {
        at('verify the new token', 'new_stored');
        const info = this.catalog.get(rotation.provider);
        if (!info?.api.verify) {
          throw new BackendError(
            'invalid_input',
            `${this.displayName(rotation.provider)} has no check API: try the new token yourself, then confirm it works`,
          );
        }
        this.reach(info);
        const secret = this.pendingSecrets.get(rotation.id) ?? '';
        const answer = this.remoteFor(secret, { ...old.view, expires_at: rotation.new_expires_at });
        if (!answer.valid) {
          throw new BackendError(
            'invalid_input',
            `${info.name} does not accept the new token: paste the right one or abort the rotation`,
          );
        }
        rotation.verified_by = 'provider';
        rotation.new_expires_at = answer.expires_at;
        move('verified');
        return;
      }
      case 'confirm_works': {
        at('mark the new token verified', 'new_stored');
        rotation.verified_by = 'user';
        move('verified');
        return;
      }
      case 'tick': {
        at('tick a consumer', 'verified');
        const consumer = rotation.consumers.find((c) => c.usage_id === action.usage_id);
        if (!consumer) {
          throw new BackendError(
            'invalid_input',
            `'${action.usage_id}' is not on this rotation's checklist`,
          );
        }
        consumer.done = action.done;
        rotation.updated_at = this.now.toISOString();
        return;
      }
      case 'consumers_done': {
        at('finish the consumer checklist', 'verified');
        const left = rotation.consumers.filter((c) => !c.done).map((c) => c.location);
        if (left.length) {
          throw new BackendError(
            'invalid_input',
            `${left.length} still use the old token: update and tick ${left.join(', ')}`,
          );
        }
        move('consumers_updated');
        return;
      }
      case 'promote': {
        at('promote the new token', 'consumers_updated');
        const { view } = old;
        const fresh = this.seed({
          name: view.name,
          provider: view.provider,
          kind: view.kind,
          account: view.account,
          environment: view.environment,
          scopes: [...view.scopes],
          tags: [...view.tags],
          notes: view.notes,
          url: view.url,
          rotation_max_age_days: view.rotation_max_age_days,
          expires_at: rotation.new_expires_at,
          replaces: view.id,
          secret: this.pendingSecrets.get(rotation.id) ?? '',
        });
        this.pendingSecrets.delete(rotation.id);
        old.view = {
          ...view,
          status: 'rotating',
          replaced_by: fresh.id,
          updated_at: this.now.toISOString(),
        };
        for (const usage of this.usages) if (usage.token_id === view.id) usage.token_id = fresh.id;
        rotation.new_token_id = fresh.id;
        this.audit('token_added', fresh.id, { rotated_from: view.id });
        move('promoted');
        return;
      }
      case 'revoke_old': {
        at('revoke the old token', 'promoted');
        if (action.how === 'later') {
          rotation.revoke_method = 'later';
          move('old_manual');
        } else if (action.how === 'confirmed') {
          this.recordOldRevoked(rotation, 'confirmed');
        } else if (rotation.old_invalidated) {
          this.recordOldRevoked(rotation, 'provider_rotation');
        } else {
          const info = this.catalog.get(rotation.provider);
          if (!info?.api.revoke) {
            throw new BackendError(
              'invalid_input',
              `${this.displayName(rotation.provider)} has no revoke API: revoke the old token at its site, then confirm`,
            );
          }
          this.reach(info);
          this.setRemote(old.secret, { valid: false });
          this.recordOldRevoked(rotation, 'api');
        }
        return;
      }
      case 'finish': {
        at('finish the rotation', 'old_revoked', 'old_manual');
        move('done');
        return;
      }
      case 'abort': {
        if (!ABORTABLE.includes(rotation.step)) {
          throw new BackendError(
            'invalid_input',
            `the new token of '${rotation.token_name}' is already active (step '${rotation.step}'): finish the rotation instead of aborting it`,
          );
        }
        this.pendingSecrets.delete(rotation.id);
        move('aborted');
        return;
      }
    }
  }

  /** The new secret waits in the rotation (not as a token) until it is promoted. */
  private storeNew(
    rotation: Rotation,
    secret: string,
    expires: string | null,
    oldInvalidated: boolean,
  ): void {
    this.pendingSecrets.set(rotation.id, secret);
    rotation.new_hint = maskHint(secret);
    rotation.new_expires_at = expires;
    rotation.old_invalidated = oldInvalidated;
  }

  private recordOldRevoked(rotation: Rotation, method: string): void {
    this.markRevoked(this.find(rotation.token_id), method);
    rotation.revoke_method = method;
    rotation.step = 'old_revoked';
    rotation.updated_at = this.now.toISOString();
  }

  private displayName(provider: string): string {
    return this.catalog.get(provider)?.name ?? provider;
  }

  private openRotation(tokenId: string): Rotation | undefined {
    return [...this.rotations.values()].find((r) => r.token_id === tokenId && isOpen(r));
  }

  /** The catalog entry, refusing (`unsupported`) when the provider or its API cannot do `op`. */
  private providerFor(provider: string, op: 'verify' | 'rotate' | 'revoke'): ProviderInfo {
    const info = this.catalog.get(provider);
    if (!info) {
      throw new BackendError('unsupported', `Tokenwarden cannot talk to ${provider} (yet).`);
    }
    if (!info.api[op]) {
      throw new BackendError('unsupported', `${info.name} has no API to ${op} tokens.`);
    }
    return info;
  }

  /** A request to the provider: fails as the test set it up, and counts as a check there. */
  private reach(info: ProviderInfo): void {
    const failure = this.providerErrors.get(info.id);
    if (failure) throw failure;
    this.checked.add(info.id);
  }

  private remoteFor(secret: string, view: TokenView): FakeRemote {
    return {
      valid: true,
      owner: 'acme-ci',
      scopes: view.scopes,
      expires_at: view.expires_at,
      last_used_at: null,
      ...this.remote.get(secret),
    };
  }

  private setRemote(secret: string, change: Partial<FakeRemote>): void {
    this.remote.set(secret, { ...this.remote.get(secret), ...change });
  }

  private markRevoked(stored: Stored, method: string): void {
    const stamp = this.now.toISOString();
    stored.view = {
      ...stored.view,
      status: 'revoked',
      revoked_at: stamp,
      revoke_method: method,
      updated_at: stamp,
    };
    this.audit('token_revoked', stored.view.id, { method });
  }

  private planRow(source: FakeImportRow, at: string, request: ImportRequest): PlannedRow {
    const problems = [...(source.problems ?? [])];
    if (!source.name.trim()) problems.push('no name');
    if (!source.secret.trim()) problems.push('no secret');
    const kind = source.kind ?? 'api_key';
    if (!TOKEN_KINDS.includes(kind as TokenKind)) problems.push(`kind: "${kind}" is not known`);
    const detected = source.provider ? null : detectProvider(source.secret);
    const provider = source.provider || detected || 'other';
    const duplicate = [...this.tokens.values()].find(
      (t) =>
        t.view.name.toLowerCase() === source.name.trim().toLowerCase() &&
        t.view.provider === provider,
    );
    let action: PreviewRow['action'] = 'create';
    if (problems.length) action = 'skip';
    else if (duplicate && request.on_duplicate === 'skip') action = 'skip';
    else if (duplicate && request.on_duplicate === 'update') action = 'update';
    return {
      secret: source.secret,
      row: {
        at,
        name: source.name.trim(),
        provider,
        provider_detected: detected !== null,
        kind,
        hint: source.secret ? maskHint(source.secret) : '',
        expires_at: source.expires_at ?? null,
        action,
        duplicate_of: duplicate?.view.id ?? null,
        usages: source.usages ?? 0,
        problems,
      },
    };
  }

  private run<T>(method: FakeMethod, args: unknown[], body: () => T | Promise<T>): Promise<T> {
    this.log.push({ method, args: structuredClone(args) });
    const failure = this.error ?? this.failNext[method];
    delete this.failNext[method];
    if (failure) return Promise.reject(failure);
    try {
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private requireExists(): void {
    if (!this.status.exists) throw new BackendError('not_found', 'There is no vault yet.');
  }

  private requireUnlocked(): void {
    this.requireExists();
    if (this.status.locked) throw new BackendError('locked', 'Unlock the vault first.');
  }

  private find(id: string): Stored {
    this.requireUnlocked();
    const stored = this.tokens.get(id);
    if (!stored) throw new BackendError('not_found', 'That token no longer exists.');
    return stored;
  }

  private setStatus(stored: Stored, status: TokenStatus): void {
    stored.view = { ...stored.view, status, updated_at: this.now.toISOString() };
  }

  private audit(kind: string, tokenId: string | null, detail: unknown): void {
    this.history.push({
      seq: this.history.length + 1,
      at: this.now.toISOString(),
      kind,
      token_id: tokenId,
      detail,
    });
  }
}

/** The providers whose API address can be changed: id, display name, real address. */
export const FAKE_API_BASES: readonly [string, string, string][] = [
  ['github', 'GitHub', 'https://api.github.com'],
  ['gitlab', 'GitLab', 'https://gitlab.com'],
  ['slack', 'Slack', 'https://slack.com/api'],
  ['hugging-face', 'Hugging Face', 'https://huggingface.co'],
  ['cloudflare', 'Cloudflare', 'https://api.cloudflare.com/client/v4'],
  ['digitalocean', 'DigitalOcean', 'https://api.digitalocean.com'],
  ['vercel', 'Vercel', 'https://api.vercel.com'],
  ['sendgrid', 'SendGrid', 'https://api.sendgrid.com'],
];

/**
 * The Rust side's base-URL check: https, or http only to 127.0.0.0/8, localhost or [::1]; no
 * credentials, query or fragment. Returns the address normalised as the URL parser writes it.
 */
function checkApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BackendError(
      'invalid_input',
      'url: not a valid URL (e.g. https://gitlab.example.com)',
    );
  }
  const host = url.hostname.toLowerCase();
  const loopback = host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  const schemeOk = url.protocol === 'https:' ? host !== '' : url.protocol === 'http:' && loopback;
  if (!schemeOk || raw.includes('@') || raw.includes('?') || url.hash) {
    throw new BackendError(
      'invalid_input',
      `url: refusing ${url.protocol}//${url.host}${url.pathname}: use https (plain http only to this computer), without credentials or a query`,
    );
  }
  return url.toString();
}

/** The steps before `promoted`: the only ones a rotation can be aborted at. */
const ABORTABLE: readonly RotationStep[] = [
  'started',
  'new_stored',
  'verified',
  'consumers_updated',
];

function isOpen(rotation: Rotation): boolean {
  return rotation.step !== 'done' && rotation.step !== 'aborted';
}

function sameInstant(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));
}

function checkDate(iso: string | null): void {
  if (iso !== null && Number.isNaN(Date.parse(iso))) {
    throw new BackendError('invalid_input', 'The expiry date is not a valid date.');
  }
}

function outcomeBase(view: TokenView): Omit<RevokeOutcome, 'outcome'> {
  return {
    token_id: view.id,
    name: view.name,
    provider: view.provider,
    method: null,
    error: null,
    reverified: null,
  };
}

function validate(input: TokenInput): void {
  if (!input.name.trim()) throw new BackendError('invalid_input', 'Give the token a name.');
  if (input.url !== null && !/^https?:\/\//i.test(input.url)) {
    throw new BackendError('invalid_input', 'The URL must start with http:// or https://.');
  }
  if (input.expires_at !== null && Number.isNaN(Date.parse(input.expires_at))) {
    throw new BackendError('invalid_input', 'The expiry date is not a valid date.');
  }
}

const PROVIDER_PREFIXES: [string, string][] = [
  ['ghp_', 'github'],
  ['github_pat_', 'github'],
  ['glpat-', 'gitlab'],
  ['xoxb-', 'slack'],
  ['sk_live_', 'stripe'],
  ['npm_', 'npm'],
  ['sk-', 'openai'],
];

function detectProvider(secret: string): string | null {
  return PROVIDER_PREFIXES.find(([prefix]) => secret.startsWith(prefix))?.[1] ?? null;
}

const HEADER_GUESSES: Record<string, ImportField> = {
  name: 'name',
  title: 'name',
  secret: 'secret',
  token: 'secret',
  value: 'secret',
  provider: 'provider',
  kind: 'kind',
  url: 'url',
  account: 'account',
  environment: 'environment',
  expires: 'expires',
  expires_at: 'expires',
  scopes: 'scopes',
  tags: 'tags',
  notes: 'notes',
  purpose: 'purpose',
};

/** Comma-separated, no quoting: enough for tests. `columns` overrides the guessed mapping. */
function parseCsv(
  path: string,
  text: string,
  chosen: ColumnMap[],
): { columns: ColumnMap[]; rows: FakeImportRow[] } {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const headers = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (!headers.some(Boolean))
    throw new BackendError('invalid_input', `${path}: the file is empty.`);
  const columns = headers.map((header) => ({
    header,
    field:
      chosen.find((c) => c.header === header)?.field ??
      HEADER_GUESSES[header.toLowerCase()] ??
      'ignore',
  }));
  const rows = lines.slice(1).map((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== headers.length) {
      throw new BackendError(
        'invalid_input',
        `${path}: line ${index + 2}: expected ${headers.length} fields, found ${cells.length}.`,
      );
    }
    const cell = (field: ImportField) => cells[columns.findIndex((c) => c.field === field)] ?? '';
    const problems: string[] = [];
    let expires: string | null = null;
    if (cell('expires')) {
      const parsed = Date.parse(cell('expires'));
      if (Number.isNaN(parsed)) problems.push(`expires: "${cell('expires')}" is not a date`);
      else expires = new Date(parsed).toISOString();
    }
    const row: FakeImportRow = {
      name: cell('name'),
      secret: cell('secret'),
      expires_at: expires,
      problems,
    };
    if (cell('provider')) row.provider = cell('provider');
    if (cell('kind')) row.kind = cell('kind');
    return row;
  });
  return { columns, rows };
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

const DAY_MS = 86_400_000;

/** A small, varied inventory relative to `now`, for previews and screenshots. */
export function demoSeeds(now: Date): FakeSeed[] {
  const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
  const kind = (k: TokenKind) => k;
  return [
    {
      name: 'deploy bot',
      provider: 'github',
      kind: kind('personal_access_token'),
      secret: 'ghp_0123456789abcdefa1B2',
      account: 'acme-ci',
      environment: 'production',
      scopes: ['repo', 'workflow'],
      tags: ['ci'],
      expires_at: inDays(6),
    },
    {
      name: 'release pipeline',
      provider: 'gitlab',
      kind: kind('personal_access_token'),
      secret: 'glpat-xxxxxxxxxxxxZz99',
      environment: 'production',
      tags: ['ci', 'release'],
      expires_at: inDays(25),
    },
    {
      name: 'billing webhooks',
      provider: 'stripe',
      kind: kind('webhook_secret'),
      secret: 'whsec_abcdefgh1234',
      environment: 'staging',
      expires_at: null,
    },
    {
      name: 'old npm publish',
      provider: 'npm',
      secret: 'npm_qwertyuiopQW12',
      expires_at: inDays(-2),
    },
    {
      name: 'chat summariser',
      provider: 'openai',
      secret: 'sk-abcdefghijklmn77',
      tags: ['ml'],
      expires_at: inDays(240),
    },
  ];
}
