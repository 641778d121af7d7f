// The fake's disk scan: scripted findings (tests set what a scan finds; the fake does no matching
// of its own), progress events, a gate to hold a scan running for Cancel, and an apply that
// checks what Rust checks (the findings still held, only known ones linked, unknown imported).
import {
  BackendError,
  type PickedFile,
  type ScanApplied,
  type ScanApplyRequest,
  type ScanProgress,
  type ScanRequest,
  type ScanResults,
} from '../types';
import type { FakeState } from './state';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function scanPick(s: FakeState): Promise<PickedFile | null> {
  return s.run('scanPick', [], () => {
    s.requireUnlocked();
    const path = s.picks.shift() ?? null;
    if (path === null) return null;
    const handle = `handle-${s.nextHandle++}`;
    s.handles.set(handle, { path, purpose: 'scan' });
    return { handle, name: baseName(path) };
  });
}

export function scanStart(s: FakeState, request: ScanRequest): Promise<ScanResults> {
  return s.run('scanStart', [request], async () => {
    s.requireUnlocked();
    for (const handle of request.folders) {
      if (s.handles.get(handle)?.purpose !== 'scan') {
        throw new BackendError(
          'invalid_input',
          'file: that file choice is no longer valid (the vault locked since): choose the file again',
        );
      }
    }
    s.scanFindings = null;
    s.scanCancelled = false;
    const script = s.scan;
    const files = script.files ?? 3;
    const bytes = script.bytes ?? 3_000_000;
    const elapsed_ms = script.elapsed_ms ?? 1_000;
    const steps = script.progress ?? [{ files, bytes, elapsed_ms }];
    const [first, ...rest] = steps;
    if (first) emit(s, first);
    if (s.scanGate) await s.scanGate;
    for (const step of rest) emit(s, step);
    const counts = {
      files,
      bytes,
      skipped_binary: 0,
      skipped_large: 0,
      unreadable: 0,
      placeholders: 0,
      elapsed_ms,
    };
    if (s.scanCancelled) return { findings: [], counts, cancelled: true };
    s.scanFindings = structuredClone(script.findings);
    return { findings: structuredClone(script.findings), counts, cancelled: false };
  });
}

function emit(s: FakeState, progress: ScanProgress): void {
  for (const listener of [...s.scanListeners]) listener({ ...progress });
}

export function scanCancel(s: FakeState): Promise<void> {
  return s.run('scanCancel', [], () => {
    s.scanCancelled = true;
  });
}

export function onScanProgress(
  s: FakeState,
  callback: (progress: ScanProgress) => void,
): Promise<() => void> {
  s.log.push({ method: 'onScanProgress', args: [] });
  s.scanListeners.add(callback);
  return Promise.resolve(() => {
    s.scanListeners.delete(callback);
  });
}

export function scanApply(s: FakeState, request: ScanApplyRequest): Promise<ScanApplied> {
  return s.run('scanApply', [request], () => {
    s.requireUnlocked();
    const findings = s.scanFindings;
    if (!findings) {
      throw new BackendError(
        'invalid_input',
        'scan: no scan results to apply (the vault locked, or they were applied): scan again',
      );
    }
    const inGroup = (id: number, group: string) =>
      findings.some((f) => f.id === id && f.group === group);
    if (!request.link.every((id) => inGroup(id, 'known'))) {
      throw new BackendError('invalid_input', 'selection: that finding cannot be linked');
    }
    if (!request.import.every((id) => inGroup(id, 'unknown'))) {
      throw new BackendError('invalid_input', 'selection: that finding cannot be imported');
    }
    s.scanFindings = null;
    const places = new Set(
      findings
        .filter((f) => request.link.includes(f.id))
        .map((f) => `${f.token_id}@${f.path}:${f.line}`),
    );
    const hints = new Set(findings.filter((f) => request.import.includes(f.id)).map((f) => f.hint));
    return { linked: places.size, imported: hints.size };
  });
}
