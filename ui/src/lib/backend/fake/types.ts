// The fake backend's types: what tests seed and script (tokens, files, provider answers) and the
// shapes its state keeps. Types only.
import type { Backend } from '../index';
import type {
  Detection,
  ExportRequest,
  FindingView,
  ImportFormat,
  PreviewRow,
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
  /** What detectSecret (and an import row without a provider) says, by secret; see fakeDetection. */
  detections?: Record<string, Detection>;
  /** The audit's findings, scripted (the fake does not audit); see FakeFinding. */
  findings?: FakeFinding[];
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
  'onLocked' | 'onImportProgress' | 'onRemindersDue' | 'onOpenRequest'
>;

/** One entry of a canned import file; the fake works out the hint, provider and action. */
export interface FakeImportRow {
  name: string;
  secret: string;
  /** Omitted: what the test scripted detection to say for the secret (FakeOptions.detections). */
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

export interface PlannedRow {
  row: PreviewRow;
  secret: string;
}

export interface Stored {
  view: TokenView;
  secret: string;
}
