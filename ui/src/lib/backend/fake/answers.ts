// Scripted answers: a test says what the next calls of a method answer, instead of the fake working
// the answer out by a TypeScript copy of Rust's rules (those rules are tested against the real Rust
// side). Nothing queued: the area falls back to a plain default that keeps the app running.
import type {
  ImportRequest,
  RevokeHow,
  RevokeOutcome,
  Rotation,
  RotationAction,
  RotationMethod,
  TokenView,
} from '../types';
import type { FakePreview } from './types';

/** One scripted answer: a value, or a function of the call that returns one (or throws a refusal). */
export type Scripted<Args extends unknown[], T extends object> = T | ((...args: Args) => T);

/**
 * The answers waiting for one method, in order: each call takes the first, if any. Failures are
 * scripted the fake's usual way (`failNext`), or by a function that throws.
 */
export class Answers<Args extends unknown[], T extends object> {
  private readonly queue: Scripted<Args, T>[] = [];

  /** The next calls answer these, one each, in order; later calls get the default again. */
  next(...answers: Scripted<Args, T>[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** How many scripted answers no call has taken yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** The next scripted answer to a call with `args`, or undefined when none waits. */
  take(...args: Args): T | undefined {
    const answer = this.queue.shift();
    return typeof answer === 'function' ? answer(...args) : answer;
  }
}

/**
 * What rotation, import and revocation calls answer when a test scripts them. Each answer is laid
 * over the area's default answer, so a test names only what matters to it (`{ old_invalidated:
 * true }`); the fake's records then follow the answer (a `promoted` step adds the new token, a
 * `revoked` outcome marks the token revoked, previewed rows are what applying adds).
 */
export class FakeAnswers {
  /** The rotation a start answers; called with the token and the method asked for. */
  readonly rotationStart = new Answers<[TokenView, RotationMethod], Partial<Rotation>>();
  /**
   * The rotation a step answers; called with the rotation as it was and the action. Default: the
   * step the action leads to, nothing refused.
   */
  readonly rotationStep = new Answers<[Rotation, RotationAction], Partial<Rotation>>();
  /** The preview of the chosen file; default: the file's own rows and columns (FakeFile). */
  readonly importPreview = new Answers<[ImportRequest], Partial<FakePreview>>();
  /** One revocation's outcome; default: revoked the way asked, and proven when a check was asked. */
  readonly revokeToken = new Answers<[TokenView, RevokeHow, boolean], Partial<RevokeOutcome>>();
  /** Panic revoke's outcomes by token id; tokens left out are revoked through the API. */
  readonly panicRevoke = new Answers<[string[]], Record<string, Partial<RevokeOutcome>>>();
}
