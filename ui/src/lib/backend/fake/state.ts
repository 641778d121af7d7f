// The fake backend's state and shared helpers: its clock, vault status, tokens, secrets, listeners
// and scripted answers, in memory only. The area modules beside it read and change it.
import {
  BackendError,
  DEFAULT_SETTINGS,
  type AlertView,
  type AuditEvent,
  type Detection,
  type DueNotice,
  type ImportProgress,
  type ImportSummary,
  type MonitorStatus,
  type OpenToken,
  type ProviderInfo,
  type ProviderPage,
  type Rotation,
  type ScanFinding,
  type ScanProgress,
  type Settings,
  type TokenStatus,
  type TokenView,
  type Usage,
  type VaultStatus,
} from '../types';
import { FakeAnswers } from './answers';
import { FAKE_CATALOG } from './catalog';
import type {
  FakeFinding,
  FakeSeed,
  FakeOptions,
  FakeRemote,
  FakeMethod,
  FakeFile,
  FakeScan,
  PlannedRow,
  Stored,
} from './types';

export const FAKE_VAULT_DIR = '/home/test/.local/share/tokenwarden';
export const FAKE_NOW = '2026-01-15T12:00:00Z';

/**
 * A live token with nothing recorded but its id and times: an `other` API key with no expiry, no
 * checks and no history. The fake seeds from it; tests spread their fields over it.
 */
export function blankTokenView(id: string, stamp: string): TokenView {
  return {
    id,
    name: id,
    provider: 'other',
    provider_name: 'other',
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

/** `ghp_…a1B2`: the prefix up to the first separator and the last four characters. */
export function maskHint(secret: string): string {
  const prefix = /^[A-Za-z]{2,8}[_-]/.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

export const DAY_MS = 86_400_000;

/**
 * Everything the fake holds, and the helpers every area uses (the call log and scripted failures,
 * the lock checks, the audit trail). The area modules take it as `s`; FakeBackend extends it.
 */
export class FakeState {
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
  /** What the next rotation, import and revocation calls answer; see FakeAnswers. */
  readonly answers = new FakeAnswers();
  /** Every call, in order, with its arguments (secrets included: this is a test double). */
  readonly log: { method: string; args: unknown[] }[] = [];
  /** What the last copySecret "put on the clipboard". */
  clipboard: string | null = null;

  // What the area modules keep. Tests go through the Backend methods and the hooks above and
  // below; reading these directly would tie them to how the fake stores things.
  readonly tokens = new Map<string, Stored>();
  readonly usages: Usage[] = [];
  readonly history: AuditEvent[] = [];
  readonly lockListeners = new Set<() => void>();
  readonly progressListeners = new Set<(progress: ImportProgress) => void>();
  readonly reminderListeners = new Set<(due: DueNotice[]) => void>();
  readonly openListeners = new Set<() => void>();
  openRequest: OpenToken | null = null;
  plan: { rows: PlannedRow[]; summary: ImportSummary } | null = null;
  nextId = 1;
  /** Files by path, for importPreview to read and exportFile to (over)write. */
  readonly files = new Map<string, FakeFile>();
  /**
   * What the user "chooses" in the next native file dialogs, in order: a path, or null for
   * Cancel. An empty queue cancels.
   */
  readonly picks: (string | null)[] = [];
  /** Chosen files by the opaque handle the UI got back; dropped on lock, as in Rust. */
  readonly handles = new Map<string, { path: string; purpose: 'import' | 'export' | 'scan' }>();
  nextHandle = 1;
  /** When set, importApply reports half its progress, then waits for this before finishing. */
  importGate: Promise<void> | null = null;
  /** The providers the fake knows, by id; tests may add or change entries. */
  readonly catalog = new Map<string, ProviderInfo>(
    FAKE_CATALOG.map((p) => [p.id, structuredClone(p)]),
  );
  /** What each provider's check says about a secret (by secret value); see FakeRemote. */
  readonly remote = new Map<string, Partial<FakeRemote>>();
  /** Providers whose checks fail (offline, rate limited, …) until the entry is deleted. */
  readonly providerErrors = new Map<string, BackendError>();
  /** Providers at which a check has been made. */
  readonly checked = new Set<string>();
  /** What detection says about a secret, by its value; any other secret is unknown. */
  readonly detections = new Map<string, Detection>();
  /** Pages openProviderPage "opened". */
  readonly opened: { provider: string; page: ProviderPage }[] = [];
  /** API addresses saved in the vault, by provider (normalised, `https://host/`). */
  readonly apiUrls = new Map<string, string>();
  /** `TOKENWARDEN_API_<PROVIDER>` values "in the environment", by provider. */
  readonly apiEnv = new Map<string, string>();
  readonly rotations = new Map<string, Rotation>();
  /** New secrets of rotations not yet promoted, by rotation id. */
  readonly pendingSecrets = new Map<string, string>();
  nextRotation = 1;
  /** What the next scans find; see FakeScan. */
  scan: FakeScan = { findings: [] };
  /** The last scan's findings, until applied, a new scan, or lock (as Rust keeps them). */
  scanFindings: ScanFinding[] | null = null;
  readonly scanListeners = new Set<(progress: ScanProgress) => void>();
  /** When set, a scan reports its first progress, then waits for this (or a cancel) to finish. */
  scanGate: Promise<void> | null = null;
  scanCancelled = false;
  /** The monitor's open alerts, as a test scripts them (the fake raises none by itself). */
  openAlerts: AlertView[] = [];
  /** The monitor's status; `open_alerts` follows `openAlerts` when read. */
  monitor: Omit<MonitorStatus, 'open_alerts'> = {
    enabled: true,
    last_run: null,
    next_check: null,
    checked_last_run: 0,
  };
  /** The scripted findings (the fake does not audit; see FakeFinding). */
  readonly findings: FakeFinding[] = [];
  /** Dismissed findings' reasons, by `kind:tokenId`. */
  readonly dismissed = new Map<string, string>();
  /** Tokens whose scopes were marked reviewed. */
  readonly reviewed = new Set<string>();

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
    this.picks.push(...(options.picks ?? []));
    for (const provider of options.checkedProviders ?? []) this.checked.add(provider);
    for (const [provider, url] of Object.entries(options.apiUrls ?? {})) {
      this.apiUrls.set(provider, url);
    }
    for (const [provider, url] of Object.entries(options.apiEnv ?? {})) {
      this.apiEnv.set(provider, url);
    }
    for (const [secret, answer] of Object.entries(options.detections ?? {})) {
      this.detections.set(secret, answer);
    }
    if (options.scan) this.scan = options.scan;
    this.findings.push(...(options.findings ?? []));
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
    view.provider_name = this.providerName(view.provider);
    this.tokens.set(view.id, { view, secret });
    return structuredClone(view);
  }

  /** The provider as the catalog spells it, as Rust fills `provider_name`; unknown ids as typed. */
  providerName(provider: string): string {
    return this.catalog.get(provider)?.name ?? provider;
  }

  get listenerCount(): number {
    return this.lockListeners.size;
  }

  run<T>(method: FakeMethod, args: unknown[], body: () => T | Promise<T>): Promise<T> {
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

  requireExists(): void {
    if (!this.status.exists) throw new BackendError('not_found', 'There is no vault yet.');
  }

  /** Locks as Rust does: the chosen files' handles go with the session. */
  lockNow(): void {
    this.status.locked = true;
    this.handles.clear();
    this.scanFindings = null;
    this.scanCancelled = true;
  }

  /** Rejects unless `password` is the vault's (actions that ask for it again while unlocked). */
  requirePassword(password: string | null): void {
    if (password === null || password === '') {
      throw new BackendError('invalid_input', 'password: enter the vault password to confirm');
    }
    if (password !== this.password) {
      throw new BackendError('wrong_password', 'That password does not open this vault.');
    }
  }

  requireUnlocked(): void {
    this.requireExists();
    if (this.status.locked) throw new BackendError('locked', 'Unlock the vault first.');
  }

  find(id: string): Stored {
    this.requireUnlocked();
    const stored = this.tokens.get(id);
    if (!stored) throw new BackendError('not_found', 'That token no longer exists.');
    return stored;
  }

  setStatus(stored: Stored, status: TokenStatus): void {
    stored.view = { ...stored.view, status, updated_at: this.now.toISOString() };
  }

  audit(kind: string, tokenId: string | null, detail: unknown): void {
    this.history.push({
      seq: this.history.length + 1,
      at: this.now.toISOString(),
      kind,
      token_id: tokenId,
      detail,
    });
  }
}
