// The fake's monitor: alerts and status as a test scripts them (FakeState.openAlerts, .monitor); the
// checks, schedule and alert rules are Rust's, tested there (core tests/monitor.rs, monitor_ipc).
import { BackendError, type AlertView, type MonitorStatus } from '../types';
import type { FakeState } from './state';

function status(s: FakeState): MonitorStatus {
  return { ...s.monitor, open_alerts: s.openAlerts.length };
}

export function alerts(s: FakeState): Promise<AlertView[]> {
  return s.run('alerts', [], () => {
    s.requireUnlocked();
    return structuredClone(s.openAlerts);
  });
}

export function acknowledgeAlert(s: FakeState, id: string): Promise<void> {
  return s.run('acknowledgeAlert', [id], () => {
    s.requireUnlocked();
    if (!s.openAlerts.some((a) => a.id === id)) {
      throw new BackendError('invalid_input', 'alert: no open alert with that id');
    }
    s.openAlerts = s.openAlerts.filter((a) => a.id !== id);
  });
}

export function monitorStatus(s: FakeState): Promise<MonitorStatus> {
  return s.run('monitorStatus', [], () => {
    s.requireUnlocked();
    return status(s);
  });
}

export function setMonitorEnabled(s: FakeState, enabled: boolean): Promise<MonitorStatus> {
  return s.run('setMonitorEnabled', [enabled], () => {
    s.requireUnlocked();
    s.monitor = { ...s.monitor, enabled, next_check: enabled ? s.monitor.next_check : null };
    return status(s);
  });
}

export function setTokenMonitored(s: FakeState, id: string, monitored: boolean): Promise<void> {
  return s.run('setTokenMonitored', [id, monitored], () => {
    s.find(id).unmonitored = !monitored;
  });
}
