// An in-memory Backend for tests and previews: no IPC, no disk. It keeps tokens, usages and settings
// like the Rust side (wrong password, locked vault, validation) with a settable clock; rotation,
// import and revocation answer what a test scripts (see answers.ts). Secrets stay in its state.
// Each area lives in its own module beside this one; this class only puts them behind `Backend`.
import * as events from './events';
import * as health from './health';
import * as providers from './providers';
import * as revocation from './revocation';
import * as rotation from './rotation';
import * as monitor from './monitor';
import * as scan from './scan';
import * as settingsArea from './settings';
import * as tokens from './tokens';
import * as transfer from './transfer';
import * as vault from './vault';
import type { Backend } from '../index';
import { FakeState } from './state';
import type {
  AlertView,
  MonitorStatus,
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
} from '../types';

export { FAKE_NOW, FAKE_VAULT_DIR, blankTokenView, maskHint } from './state';
export { FAKE_API_BASES } from './settings';
export { fakeDetection } from './catalog';
export { demoSeeds } from './demo';
export type {
  FakeFile,
  FakeFinding,
  FakeImportRow,
  FakeMethod,
  FakeOptions,
  FakePreview,
  FakeRemote,
  FakeScan,
  FakeSeed,
} from './types';

export class FakeBackend extends FakeState implements Backend {
  /** Simulates Rust locking the vault by itself and emitting `vault-locked`. */
  emitLocked(): void {
    events.emitLocked(this);
  }

  /** Simulates Rust sending reminders no notification server took (`reminders-due`). */
  emitRemindersDue(due: DueNotice[]): void {
    events.emitRemindersDue(this, due);
  }

  /** Simulates the tray or a notification asking to show a token (`open-token`). */
  requestOpen(id: string, rotate = false): void {
    events.requestOpen(this, id, rotate);
  }

  vaultStatus(): Promise<VaultStatus> {
    return vault.vaultStatus(this);
  }

  createVault(password: string, useKeyring: boolean): Promise<void> {
    return vault.createVault(this, password, useKeyring);
  }

  unlock(password: string): Promise<void> {
    return vault.unlock(this, password);
  }

  unlockWithKeyring(): Promise<void> {
    return vault.unlockWithKeyring(this);
  }

  lock(): Promise<void> {
    return vault.lock(this);
  }

  rekeyVault(password: string): Promise<void> {
    return vault.rekeyVault(this, password);
  }

  listTokens(): Promise<TokenView[]> {
    return tokens.listTokens(this);
  }

  listTokenRows(): Promise<TokenRow[]> {
    return tokens.listTokenRows(this);
  }

  getToken(id: string): Promise<TokenDetail> {
    return tokens.getToken(this, id);
  }

  addToken(input: TokenInput): Promise<TokenView> {
    return tokens.addToken(this, input);
  }

  setTokenReminderDays(id: string, days: number[] | null): Promise<number[] | null> {
    return tokens.setTokenReminderDays(this, id, days);
  }

  updateToken(id: string, input: TokenInput): Promise<TokenView> {
    return tokens.updateToken(this, id, input);
  }

  archiveToken(id: string): Promise<void> {
    return tokens.archiveToken(this, id);
  }

  deleteToken(id: string): Promise<void> {
    return tokens.deleteToken(this, id);
  }

  revealSecret(id: string): Promise<string> {
    return tokens.revealSecret(this, id);
  }

  copySecret(id: string): Promise<CopyResult> {
    return tokens.copySecret(this, id);
  }

  getSettings(): Promise<Settings> {
    return settingsArea.getSettings(this);
  }

  saveSettings(settings: Settings): Promise<void> {
    return settingsArea.saveSettings(this, settings);
  }

  setKeyringUnlock(enabled: boolean, password: string | null): Promise<void> {
    return settingsArea.setKeyringUnlock(this, enabled, password);
  }

  getAutostart(): Promise<boolean> {
    return settingsArea.getAutostart(this);
  }

  setAutostart(enabled: boolean): Promise<void> {
    return settingsArea.setAutostart(this, enabled);
  }

  importPreview(request: ImportRequest): Promise<ImportPreview> {
    return transfer.importPreview(this, request);
  }

  importPick(): Promise<PickedFile | null> {
    return transfer.importPick(this);
  }

  exportPick(format: ExportFormat): Promise<PickedFile | null> {
    return transfer.exportPick(this, format);
  }

  importApply(): Promise<ImportSummary> {
    return transfer.importApply(this);
  }

  importCancel(): Promise<void> {
    return transfer.importCancel(this);
  }

  onImportProgress(callback: (progress: ImportProgress) => void): Promise<() => void> {
    return events.onImportProgress(this, callback);
  }

  exportFile(request: ExportRequest): Promise<ExportResult> {
    return transfer.exportFile(this, request);
  }

  onLocked(callback: () => void): Promise<() => void> {
    return events.onLocked(this, callback);
  }

  takeOpenRequest(): Promise<OpenToken | null> {
    return events.takeOpenRequest(this);
  }

  /** There is no web process to trim here: null, as where the app's extension is not loaded. */
  releaseMemory(): Promise<MemoryReleased | null> {
    return this.run('releaseMemory', [], () => null);
  }

  onOpenRequest(callback: () => void): Promise<() => void> {
    return events.onOpenRequest(this, callback);
  }

  onRemindersDue(callback: (due: DueNotice[]) => void): Promise<() => void> {
    return events.onRemindersDue(this, callback);
  }

  detectSecret(secret: string): Promise<Detection | null> {
    return providers.detectSecret(this, secret);
  }

  providerInfo(provider: string): Promise<ProviderView | null> {
    return providers.providerInfo(this, provider);
  }

  providerApiUrls(): Promise<ProviderApiUrl[]> {
    return settingsArea.providerApiUrls(this);
  }

  setProviderApiUrl(
    provider: string,
    url: string | null,
    password: string,
  ): Promise<ProviderApiUrl[]> {
    return settingsArea.setProviderApiUrl(this, provider, url, password);
  }

  verifyToken(id: string): Promise<VerifyReport> {
    return providers.verifyToken(this, id);
  }

  openProviderPage(provider: string, page: ProviderPage): Promise<void> {
    return providers.openProviderPage(this, provider, page);
  }

  rotationStart(tokenId: string, method: RotationMethod): Promise<Rotation> {
    return rotation.rotationStart(this, tokenId, method);
  }

  rotationFor(tokenId: string): Promise<Rotation | null> {
    return rotation.rotationFor(this, tokenId);
  }

  rotationsOpen(): Promise<Rotation[]> {
    return rotation.rotationsOpen(this);
  }

  rotationStep(rotationId: string, action: RotationAction): Promise<Rotation> {
    return rotation.rotationStep(this, rotationId, action);
  }

  revokeToken(id: string, how: RevokeHow, reverify: boolean): Promise<RevokeOutcome> {
    return revocation.revokeToken(this, id, how, reverify);
  }

  panicRevoke(ids: string[]): Promise<RevokeOutcome[]> {
    return revocation.panicRevoke(this, ids);
  }

  alerts(): Promise<AlertView[]> {
    return monitor.alerts(this);
  }

  acknowledgeAlert(id: string): Promise<void> {
    return monitor.acknowledgeAlert(this, id);
  }

  monitorStatus(): Promise<MonitorStatus> {
    return monitor.monitorStatus(this);
  }

  setMonitorEnabled(enabled: boolean): Promise<MonitorStatus> {
    return monitor.setMonitorEnabled(this, enabled);
  }

  setTokenMonitored(id: string, monitored: boolean): Promise<void> {
    return monitor.setTokenMonitored(this, id, monitored);
  }

  scanPick(): Promise<PickedFile | null> {
    return scan.scanPick(this);
  }

  scanStart(request: ScanRequest): Promise<ScanResults> {
    return scan.scanStart(this, request);
  }

  scanCancel(): Promise<void> {
    return scan.scanCancel(this);
  }

  onScanProgress(callback: (progress: ScanProgress) => void): Promise<() => void> {
    return scan.onScanProgress(this, callback);
  }

  scanApply(request: ScanApplyRequest): Promise<ScanApplied> {
    return scan.scanApply(this, request);
  }

  healthFindings(): Promise<FindingView[]> {
    return health.healthFindings(this);
  }

  healthSummary(): Promise<HealthSummary> {
    return health.healthSummary(this);
  }

  dismissFinding(tokenId: string, kind: FindingKind, reason: string): Promise<void> {
    return health.dismissFinding(this, tokenId, kind, reason);
  }

  markScopesReviewed(tokenId: string): Promise<void> {
    return health.markScopesReviewed(this, tokenId);
  }
}
