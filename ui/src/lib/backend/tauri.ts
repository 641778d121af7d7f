// The real backend: calls the Rust commands over Tauri IPC and turns their `{ code, message }`
// errors into BackendError. The only module (with its tests) that imports @tauri-apps/*.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Backend } from './index';
import {
  BackendError,
  type AlertView,
  type CopyResult,
  type Detection,
  type DueNotice,
  type ErrorCode,
  type ExportFormat,
  type ExportRequest,
  type ExportResult,
  type FindingKind,
  type FindingView,
  type HealthSummary,
  type ImportPreview,
  type ImportProgress,
  type ImportRequest,
  type ImportSummary,
  type MonitorStatus,
  type MemoryReleased,
  type OpenToken,
  type PickedFile,
  type ProviderApiUrl,
  type ProviderPage,
  type ProviderView,
  type RevokeHow,
  type RevokeOutcome,
  type Rotation,
  type RotationAction,
  type RotationMethod,
  type ScanApplied,
  type ScanApplyRequest,
  type ScanProgress,
  type ScanRequest,
  type ScanResults,
  type Settings,
  type TokenDetail,
  type TokenInput,
  type TokenRow,
  type TokenRowWire,
  type TokenView,
  type VaultStatus,
  type VerifyReport,
} from './types';

// A record rather than a list so the compiler insists on every code (a missing one would turn
// that error into `internal`).
const CODE_RECORD: Record<ErrorCode, true> = {
  internal: true,
  wrong_password: true,
  locked: true,
  not_found: true,
  invalid_input: true,
  already_exists: true,
  corrupt: true,
  keyring_unavailable: true,
  io: true,
  passphrase_needed: true,
  provider_offline: true,
  provider_timeout: true,
  provider_unauthorized: true,
  provider_forbidden: true,
  provider_rate_limited: true,
  provider_error: true,
  provider_bad_response: true,
  insecure_url: true,
  unsupported: true,
};
const CODES: ReadonlySet<string> = new Set(Object.keys(CODE_RECORD));

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

/** Maps whatever `invoke` rejected with to a BackendError; unknown shapes become `internal`. */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === 'string') return new BackendError(code, message);
  }
  const text = error instanceof Error ? error.message : String(error);
  return new BackendError('internal', `Unexpected error from the app: ${text}`);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

/** Tauri event the Rust side emits when it locks the vault by itself. */
export const VAULT_LOCKED_EVENT = 'vault-locked';
/** Tauri event the Rust side emits while it applies an import. */
export const IMPORT_PROGRESS_EVENT = 'import-progress';
/** Tauri event with reminders no OS notification could show (no notification server). */
export const REMINDERS_DUE_EVENT = 'reminders-due';
/** Rust asks the window to show a token (from the tray or a notification). */
export const OPEN_TOKEN_EVENT = 'open-token';
/** Tauri event the Rust side emits while a scan walks the disk. */
export const SCAN_PROGRESS_EVENT = 'scan-progress';

/** A row as `tokens_rows` sends it (an array in TokenRow's field order) rebuilt into its object. */
export function rowFromWire(w: TokenRowWire): TokenRow {
  return {
    id: w[0],
    name: w[1],
    provider: w[2],
    provider_name: w[3],
    hint: w[4],
    account: w[5],
    environment: w[6],
    tags: w[7],
    notes: w[8],
    created_at: w[9],
    expires_at: w[10],
    status: w[11],
  };
}

// Argument names are camelCase here; Tauri maps them to the snake_case Rust parameters.
export class TauriBackend implements Backend {
  vaultStatus(): Promise<VaultStatus> {
    return call<VaultStatus>('vault_status');
  }

  createVault(password: string, useKeyring: boolean): Promise<void> {
    return call<void>('vault_create', { password, useKeyring });
  }

  unlock(password: string): Promise<void> {
    return call<void>('vault_unlock', { password });
  }

  unlockWithKeyring(): Promise<void> {
    return call<void>('vault_unlock_keyring');
  }

  lock(): Promise<void> {
    return call<void>('vault_lock');
  }

  listTokens(): Promise<TokenView[]> {
    return call<TokenView[]>('tokens_list');
  }

  async listTokenRows(): Promise<TokenRow[]> {
    return (await call<TokenRowWire[]>('tokens_rows')).map(rowFromWire);
  }

  getToken(id: string): Promise<TokenDetail> {
    return call<TokenDetail>('token_get', { id });
  }

  addToken(input: TokenInput): Promise<TokenView> {
    return call<TokenView>('token_add', { input });
  }

  updateToken(id: string, input: TokenInput): Promise<TokenView> {
    return call<TokenView>('token_update', { id, input });
  }

  setTokenReminderDays(id: string, days: number[] | null): Promise<number[] | null> {
    return call<number[] | null>('token_set_reminder_days', { id, days });
  }

  archiveToken(id: string): Promise<void> {
    return call<void>('token_archive', { id });
  }

  deleteToken(id: string): Promise<void> {
    return call<void>('token_delete', { id });
  }

  revealSecret(id: string): Promise<string> {
    return call<string>('token_reveal', { id });
  }

  copySecret(id: string): Promise<CopyResult> {
    return call<CopyResult>('token_copy', { id });
  }

  getSettings(): Promise<Settings> {
    return call<Settings>('settings_get');
  }

  saveSettings(settings: Settings): Promise<void> {
    return call<void>('settings_save', { settings });
  }

  setKeyringUnlock(enabled: boolean, password: string | null): Promise<void> {
    return call<void>('keyring_set', { enabled, password });
  }

  rekeyVault(password: string): Promise<void> {
    return call<void>('vault_rekey', { password });
  }

  getAutostart(): Promise<boolean> {
    return call<boolean>('autostart_get');
  }

  setAutostart(enabled: boolean): Promise<void> {
    return call<void>('autostart_set', { enabled });
  }

  importPreview(request: ImportRequest): Promise<ImportPreview> {
    return call<ImportPreview>('import_preview', { request });
  }

  importPick(): Promise<PickedFile | null> {
    return call<PickedFile | null>('import_pick');
  }

  exportPick(format: ExportFormat): Promise<PickedFile | null> {
    return call<PickedFile | null>('export_pick', { format });
  }

  importApply(): Promise<ImportSummary> {
    return call<ImportSummary>('import_apply');
  }

  importCancel(): Promise<void> {
    return call<void>('import_cancel');
  }

  async onImportProgress(callback: (progress: ImportProgress) => void): Promise<() => void> {
    try {
      return await listen<ImportProgress>(IMPORT_PROGRESS_EVENT, (event) =>
        callback(event.payload),
      );
    } catch (error) {
      throw toBackendError(error);
    }
  }

  exportFile(request: ExportRequest): Promise<ExportResult> {
    return call<ExportResult>('export_file', { request });
  }

  async onLocked(callback: () => void): Promise<() => void> {
    try {
      return await listen(VAULT_LOCKED_EVENT, () => callback());
    } catch (error) {
      throw toBackendError(error);
    }
  }

  async onRemindersDue(callback: (due: DueNotice[]) => void): Promise<() => void> {
    try {
      return await listen<DueNotice[]>(REMINDERS_DUE_EVENT, (event) => callback(event.payload));
    } catch (error) {
      throw toBackendError(error);
    }
  }

  takeOpenRequest(): Promise<OpenToken | null> {
    return call<OpenToken | null>('open_request_take');
  }

  releaseMemory(): Promise<MemoryReleased | null> {
    return call<MemoryReleased | null>('memory_release');
  }

  async onOpenRequest(callback: () => void): Promise<() => void> {
    try {
      return await listen(OPEN_TOKEN_EVENT, () => callback());
    } catch (error) {
      throw toBackendError(error);
    }
  }

  detectSecret(secret: string): Promise<Detection | null> {
    return call<Detection | null>('detect_secret', { secret });
  }

  providerInfo(provider: string): Promise<ProviderView | null> {
    return call<ProviderView | null>('provider_info', { provider });
  }

  verifyToken(id: string): Promise<VerifyReport> {
    return call<VerifyReport>('verify_token', { id });
  }

  providerApiUrls(): Promise<ProviderApiUrl[]> {
    return call<ProviderApiUrl[]>('provider_api_urls');
  }

  setProviderApiUrl(
    provider: string,
    url: string | null,
    password: string,
  ): Promise<ProviderApiUrl[]> {
    return call<ProviderApiUrl[]>('provider_api_url_set', { provider, url, password });
  }

  openProviderPage(provider: string, page: ProviderPage): Promise<void> {
    return call<void>('open_provider_page', { provider, page });
  }

  rotationStart(tokenId: string, method: RotationMethod): Promise<Rotation> {
    return call<Rotation>('rotation_start', { tokenId, method });
  }

  rotationFor(tokenId: string): Promise<Rotation | null> {
    return call<Rotation | null>('rotation_for', { tokenId });
  }

  rotationsOpen(): Promise<Rotation[]> {
    return call<Rotation[]>('rotations_open');
  }

  rotationStep(rotationId: string, action: RotationAction): Promise<Rotation> {
    return call<Rotation>('rotation_step', { rotationId, action });
  }

  revokeToken(id: string, how: RevokeHow, reverify: boolean): Promise<RevokeOutcome> {
    return call<RevokeOutcome>('revoke_token', { id, how, reverify });
  }

  panicRevoke(ids: string[]): Promise<RevokeOutcome[]> {
    return call<RevokeOutcome[]>('panic_revoke', { ids });
  }

  alerts(): Promise<AlertView[]> {
    return call<AlertView[]>('alerts_list');
  }

  acknowledgeAlert(id: string): Promise<void> {
    return call<void>('alert_acknowledge', { id });
  }

  monitorStatus(): Promise<MonitorStatus> {
    return call<MonitorStatus>('monitor_status');
  }

  setMonitorEnabled(enabled: boolean): Promise<MonitorStatus> {
    return call<MonitorStatus>('monitor_set_enabled', { enabled });
  }

  setTokenMonitored(id: string, monitored: boolean): Promise<void> {
    return call<void>('token_set_monitored', { id, monitored });
  }

  scanPick(): Promise<PickedFile | null> {
    return call<PickedFile | null>('scan_pick');
  }

  scanStart(request: ScanRequest): Promise<ScanResults> {
    return call<ScanResults>('scan_start', { request });
  }

  scanCancel(): Promise<void> {
    return call<void>('scan_cancel');
  }

  async onScanProgress(callback: (progress: ScanProgress) => void): Promise<() => void> {
    try {
      return await listen<ScanProgress>(SCAN_PROGRESS_EVENT, (event) => callback(event.payload));
    } catch (error) {
      throw toBackendError(error);
    }
  }

  scanApply(request: ScanApplyRequest): Promise<ScanApplied> {
    return call<ScanApplied>('scan_apply', { request });
  }

  healthFindings(): Promise<FindingView[]> {
    return call<FindingView[]>('health_findings');
  }

  healthSummary(): Promise<HealthSummary> {
    return call<HealthSummary>('health_summary');
  }

  dismissFinding(tokenId: string, kind: FindingKind, reason: string): Promise<void> {
    return call<void>('health_dismiss', { tokenId, kind, reason });
  }

  markScopesReviewed(tokenId: string): Promise<void> {
    return call<void>('health_mark_reviewed', { tokenId });
  }
}
