// The one interface the UI talks to, and how components get it (Svelte context).
// Implementations: tauri.ts (the real app, over IPC) and fake/ (in memory, for tests).
import { getContext, setContext } from 'svelte';
import type {
  AlertView,
  CopyResult,
  Detection,
  DueNotice,
  ExportFormat,
  ExportRequest,
  ExportResult,
  FindingKind,
  FindingView,
  HealthSummary,
  ImportPreview,
  ImportProgress,
  ImportRequest,
  ImportSummary,
  MemoryReleased,
  MonitorStatus,
  OpenToken,
  PickedFile,
  ProviderApiUrl,
  ProviderPage,
  ProviderView,
  RevokeHow,
  RevokeOutcome,
  Rotation,
  RotationAction,
  RotationMethod,
  ScanApplied,
  ScanApplyRequest,
  ScanProgress,
  ScanRequest,
  ScanResults,
  Settings,
  TokenDetail,
  TokenInput,
  TokenRow,
  TokenView,
  VaultStatus,
  VerifyReport,
} from './types';

export * from './types';

/** Every method rejects with a BackendError (`locked` when the vault must be unlocked first). */
export interface Backend {
  /** The vault's state without unlocking it. */
  vaultStatus(): Promise<VaultStatus>;
  /** Creates the vault (and optionally an OS-keyring slot); leaves it unlocked. */
  createVault(password: string, useKeyring: boolean): Promise<void>;
  /** Rejects with `wrong_password` when the password does not open the vault. */
  unlock(password: string): Promise<void>;
  unlockWithKeyring(): Promise<void>;
  lock(): Promise<void>;
  /** All tokens, archived ones included; the UI filters and sorts. */
  listTokens(): Promise<TokenView[]>;
  /**
   * All tokens as the list, the sidebar, search, the filters and the chart use them (archived ones
   * included): the lean rows that make unlocking a large vault quick. `getToken` has the rest.
   */
  listTokenRows(): Promise<TokenRow[]>;
  getToken(id: string): Promise<TokenDetail>;
  addToken(input: TokenInput): Promise<TokenView>;
  /** `input.secret === null` keeps the stored secret. */
  updateToken(id: string, input: TokenInput): Promise<TokenView>;
  /**
   * The token's own days-before-expiry reminders, or null to follow the vault's; resolves to the
   * days as stored (deduplicated, largest first). Out of range: `invalid_input`.
   */
  setTokenReminderDays(id: string, days: number[] | null): Promise<number[] | null>;
  archiveToken(id: string): Promise<void>;
  deleteToken(id: string): Promise<void>;
  /** The secret itself: only for an explicit Reveal. */
  revealSecret(id: string): Promise<string>;
  /** Rust copies the secret and clears the clipboard after `clear_after_secs`. */
  copySecret(id: string): Promise<CopyResult>;
  getSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<void>;
  /** Turning it on needs the vault password again (`wrong_password` when it is not). */
  setKeyringUnlock(enabled: boolean, password: string | null): Promise<void>;
  /**
   * Re-encrypts the vault under a fresh master key; the password stays the same and must be
   * given again (`wrong_password` otherwise, and the vault stays unlocked).
   */
  rekeyVault(password: string): Promise<void>;
  /** Whether the app starts at login, hidden in the tray (an OS setting, not in the vault). */
  getAutostart(): Promise<boolean>;
  setAutostart(enabled: boolean): Promise<void>;
  /**
   * Reads and checks a file and keeps the plan on the Rust side; writes nothing. A bad file
   * rejects with `invalid_input` naming the file, line and field; a missing one with `not_found`/`io`.
   */
  importPreview(request: ImportRequest): Promise<ImportPreview>;
  /** Opens the native "open file" dialog; null when the user cancels. */
  importPick(): Promise<PickedFile | null>;
  /**
   * Opens the native "save file" dialog; null when the user cancels. The vault's folder and the
   * home's dot-folders are refused (`invalid_input`).
   */
  exportPick(format: ExportFormat): Promise<PickedFile | null>;
  /** Applies the last previewed plan in one transaction: every row or none. */
  importApply(): Promise<ImportSummary>;
  /** Drops the previewed plan (or stops an apply, which then rolls back). */
  importCancel(): Promise<void>;
  /** Progress of a running importApply; resolves to an unsubscribe. */
  onImportProgress(callback: (progress: ImportProgress) => void): Promise<() => void>;
  /** Rejects with `invalid_input` when the file exists and `overwrite` is false, or a backup has no passphrase. */
  exportFile(request: ExportRequest): Promise<ExportResult>;
  /** Called when the vault locks by itself (idle timeout, screen lock); resolves to an unsubscribe. */
  onLocked(callback: () => void): Promise<() => void>;
  /** Reminders that no OS notification could show, for the window to show; resolves to an unsubscribe. */
  onRemindersDue(callback: (due: DueNotice[]) => void): Promise<() => void>;
  /** The token the tray or a notification asked to show, if any; taking it clears it. */
  takeOpenRequest(): Promise<OpenToken | null>;
  /** Called when the tray or a notification asks to show a token (then call takeOpenRequest). */
  onOpenRequest(callback: () => void): Promise<() => void>;
  /**
   * Asks the web process to collect its garbage and give its free pages back (after an unlock has
   * painted); resolves to its resident size before and after, or null where that cannot be done.
   */
  releaseMemory(): Promise<MemoryReleased | null>;

  // Providers. Calls that reach a provider reject with a `provider_*` code (offline, timeout,
  // rate limited, …) or `unsupported` when the provider's API cannot do that.
  /** Which provider and kind a secret looks like, from its shape alone; null when unknown. */
  detectSecret(secret: string): Promise<Detection | null>;
  /** The catalog entry and whether a check was ever made there; null for an unknown provider. */
  providerInfo(provider: string): Promise<ProviderView | null>;
  /** Asks the provider about the token; records the result (and the provider's expiry). */
  verifyToken(id: string): Promise<VerifyReport>;
  /** Every provider's API address: the default, the environment's override and the vault's setting. */
  providerApiUrls(): Promise<ProviderApiUrl[]>;
  /**
   * Sets (or, with null or an empty string, clears) the vault's API address for a provider; resolves
   * to the updated list. A bad address (plain HTTP other than to this computer, credentials or a
   * query in it, not a URL) rejects with `invalid_input`.
   */
  setProviderApiUrl(
    provider: string,
    url: string | null,
    password: string,
  ): Promise<ProviderApiUrl[]>;
  /** Opens one of the provider's pages in the system browser. */
  openProviderPage(provider: string, page: ProviderPage): Promise<void>;
  /** Begins a rotation; `already_exists` when the token has an unfinished one. */
  rotationStart(tokenId: string, method: RotationMethod): Promise<Rotation>;
  /** The token's unfinished rotation, if any. */
  rotationFor(tokenId: string): Promise<Rotation | null>;
  /** Every unfinished rotation (to offer "Resume" after unlock). */
  rotationsOpen(): Promise<Rotation[]>;
  /** One move of the rotation's state machine; refused with `invalid_input` at the wrong step. */
  rotationStep(rotationId: string, action: RotationAction): Promise<Rotation>;
  /** Revokes (or records the revocation of) one token; `reverify` checks afterwards that it fails. */
  revokeToken(id: string, how: RevokeHow, reverify: boolean): Promise<RevokeOutcome>;
  /** Revokes every token it can through the providers' APIs; one outcome per id. */
  panicRevoke(ids: string[]): Promise<RevokeOutcome[]>;

  // The monitor: it checks tokens at their providers in the background while the vault is open.
  /** Alerts it raised and nobody acknowledged yet, newest first. */
  alerts(): Promise<AlertView[]>;
  /** Acknowledges an alert: it leaves the list and is never notified again. */
  acknowledgeAlert(id: string): Promise<void>;
  /** Whether it runs, when it last checked, when it checks next, how many alerts are open. */
  monitorStatus(): Promise<MonitorStatus>;
  /** Turns it on or off for the whole vault; resolves to the status that follows. */
  setMonitorEnabled(enabled: boolean): Promise<MonitorStatus>;
  /** Turns it on or off for one token (on unless turned off; see TokenDetail.monitored). */
  setTokenMonitored(id: string, monitored: boolean): Promise<void>;

  // The disk scan. Rust walks the files, matches what it finds with the vault and keeps the
  // secrets; the UI sees hints, providers and places, never a secret, and picks by finding id.
  /** Opens the native "choose a folder" dialog; null when the user cancels. */
  scanPick(): Promise<PickedFile | null>;
  /**
   * Scans the usual config files (`home`) and/or the chosen folders (by handle); resolves once
   * the walk is done, or with `cancelled` after scanCancel. A new scan drops the last findings.
   */
  scanStart(request: ScanRequest): Promise<ScanResults>;
  /** Stops the running scan (its scanStart then resolves `cancelled`, keeping nothing). */
  scanCancel(): Promise<void>;
  /** Progress of a running scan (files, bytes, elapsed); resolves to an unsubscribe. */
  onScanProgress(callback: (progress: ScanProgress) => void): Promise<() => void>;
  /**
   * Links the known findings and imports the unknown ones named (the import is all or nothing);
   * `invalid_input` when the findings are gone (applied, a new scan, or the vault locked).
   */
  scanApply(request: ScanApplyRequest): Promise<ScanApplied>;

  // Health: the audit's findings over the whole inventory (never a secret).
  /** The open findings, most severe first; dismissed ones stay out until their evidence changes. */
  healthFindings(): Promise<FindingView[]>;
  /** The same open findings counted by severity: what the sidebar and the dashboard show. */
  healthSummary(): Promise<HealthSummary>;
  /** Dismisses one open finding; an empty reason rejects with `invalid_input`. */
  dismissFinding(tokenId: string, kind: FindingKind, reason: string): Promise<void>;
  /** Records that the token's scopes were reviewed (its "review due" finding rests). */
  markScopesReviewed(tokenId: string): Promise<void>;
}

const KEY = Symbol('tokenwarden-backend');

/** The context entry `mount` or a parent component provides. */
export function backendContext(backend: Backend): Map<symbol, Backend> {
  return new Map([[KEY, backend]]);
}

export function setBackend(backend: Backend): void {
  setContext(KEY, backend);
}

export function getBackend(): Backend {
  const backend = getContext<Backend | undefined>(KEY);
  if (!backend) throw new Error('no backend in context: mount the app with backendContext(...)');
  return backend;
}
