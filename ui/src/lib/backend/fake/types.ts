// The fake backend's types: what tests seed and script (tokens, files, provider answers) and the
// shapes its state keeps. Types only.
import type { Backend } from '../index';
import type {
  ColumnMap,
  Detection,
  ExportRequest,
  FindingView,
  ImportFormat,
  PlannedAction,
  PreviewRow,
  ScanFinding,
  ScanProgress,
  Settings,
  TokenView,
  Usage,
} from '../types';

/** A token to preload: its secret plus any metadata worth fixing in a test. */
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
  /** What the user chooses in the next native file dialogs: a path, or null for Cancel. */
  picks?: (string | null)[];
  /** Providers at which a check was already made (no first-check confirmation). */
  checkedProviders?: string[];
  /** API addresses saved in the vault, by provider (as setProviderApiUrl would store them). */
  apiUrls?: Record<string, string>;
  /** `TOKENWARDEN_API_<PROVIDER>` values "in the environment", by provider. */
  apiEnv?: Record<string, string>;
  /** What detectSecret says, by secret; see fakeDetection. */
  detections?: Record<string, Detection>;
  /** What the next scans find (the fake does no matching of its own). */
  scan?: FakeScan;
  /** The audit's findings, scripted (the fake does not audit); see FakeFinding. */
  findings?: FakeFinding[];
}

/** A scripted scan: what it finds, and the progress it reports on the way. */
export interface FakeScan {
  findings: ScanFinding[];
  /** Progress events sent before the answer (default: one at the end of the walk). */
  progress?: ScanProgress[];
  files?: number;
  bytes?: number;
  elapsed_ms?: number;
}

/**
 * A finding the fake reports, scripted by a test: for the token named (or with the id) `token`,
 * while that token is live (active or rotating), not dismissed, not marked reviewed (for
 * `review_due`), and until `resolvedWhen` says the backend change that fixes it has happened.
 */
export interface FakeFinding extends Omit<FindingView, 'token_id' | 'token_name' | 'provider'> {
  token: string;
  resolvedWhen?: (token: TokenView) => boolean;
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
  'onLocked' | 'onImportProgress' | 'onRemindersDue' | 'onOpenRequest' | 'onScanProgress'
>;

/**
 * One row of an import preview, as the Rust planner would answer it, with the secret applying
 * stores. Left out: provider `other`, kind `api_key`, action `create` (`skip` when it has problems).
 */
export interface FakeImportRow {
  name: string;
  secret: string;
  provider?: string;
  provider_detected?: boolean;
  kind?: string;
  expires_at?: string | null;
  action?: PlannedAction;
  duplicate_of?: string | null;
  usages?: number;
  problems?: string[];
}

/** What an import preview answers: the file's format, its planned rows and CSV columns. */
export interface FakePreview {
  format: ImportFormat;
  rows: FakeImportRow[];
  columns?: ColumnMap[];
}

/** A "file" the fake can read (the preview it answers for it) or what an export wrote there. */
export type FakeFile = FakePreview | { exported: ExportRequest; tokens: number };

export interface PlannedRow {
  row: PreviewRow;
  secret: string;
}

export interface Stored {
  view: TokenView;
  secret: string;
  /** The token's own reminder days (null or absent: the vault's). */
  reminderDays?: number[] | null;
  /** Turned off for the monitor (absent: on). */
  unmonitored?: boolean;
}
