// The app as the desktop sees it, for the end-to-end tests and the benchmarks: its processes and
// the WebKit processes below them (from /proc), and the tray process's menu over D-Bus (the
// StatusNotifierItem registered with the harness's status-notifier-watcher; com.canonical.dbusmenu).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Every live process: pid -> { ppid, comm }. Zombies (ended, not yet reaped) are left out. */
export function processes() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (state !== 'Z') map.set(Number(name), { ppid: Number(ppid), comm });
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** The pids of running processes named `comm` (e.g. the app binary's name). */
export function pidsOf(comm) {
  return [...processes()].filter(([, p]) => p.comm === comm).map(([pid]) => pid);
}

/** `root` and every process below it: [{ pid, comm }]. */
export function tree(root) {
  const procs = processes();
  if (!procs.has(root)) return [];
  const pids = [root];
  for (let i = 0; i < pids.length; i += 1) {
    for (const [pid, p] of procs) if (p.ppid === pids[i]) pids.push(pid);
  }
  return pids.map((pid) => ({ pid, comm: procs.get(pid).comm }));
}

/** Every WebKit helper process (web content, network, GPU) on the machine, WebDriver's own
 *  WebKitWebDriver aside: [{ pid, comm }]. */
export function webkitAnywhere() {
  return [...processes()]
    .filter(([, p]) => p.comm.startsWith('WebKit') && p.comm !== 'WebKitWebDriver')
    .map(([pid, p]) => ({ pid, comm: p.comm }));
}

/** The WebKit helper processes (web content, network, GPU) below `root`. */
export function webkitProcesses(root) {
  return tree(root).filter((p) => p.comm.startsWith('WebKit'));
}

function gdbus(...args) {
  return execFileSync('gdbus', ['call', '--session', '--timeout', '5', ...args], {
    encoding: 'utf8',
  });
}

/** Where the app's tray icon's menu lives: { bus, menu }. The newest registration wins: an app
 *  that was killed may leave its entry behind until the watcher notices. */
export function trayMenuAddress() {
  const registered = gdbus(
    '--dest',
    'org.kde.StatusNotifierWatcher',
    '--object-path',
    '/StatusNotifierWatcher',
    '--method',
    'org.freedesktop.DBus.Properties.Get',
    'org.kde.StatusNotifierWatcher',
    'RegisteredStatusNotifierItems',
  );
  const entries = [...registered.matchAll(/'([^']+)'/g)].map((m) => m[1]).reverse();
  if (!entries.length) throw new Error(`no tray icon registered: ${registered.trim()}`);
  let lastError;
  for (const entry of entries) {
    try {
      return menuOf(entry);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function menuOf(entry) {
  // Items register as "bus" or "bus/object/path"; find the object by introspection when needed.
  const slash = entry.indexOf('/');
  const bus = slash < 0 ? entry : entry.slice(0, slash);
  let item = slash < 0 ? null : entry.slice(slash);
  if (!item) {
    const dump = execFileSync(
      'gdbus',
      ['introspect', '--session', '--dest', bus, '--object-path', '/', '--recurse'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let node = null;
    for (const line of dump.split('\n')) {
      const opened = /^\s*node (\/\S*) \{/.exec(line);
      if (opened) node = opened[1];
      if (/interface org\.kde\.StatusNotifierItem \{/.test(line)) {
        item = node;
        break;
      }
    }
  }
  if (!item) throw new Error(`no StatusNotifierItem object on ${bus}`);
  const menuProp = gdbus(
    '--dest',
    bus,
    '--object-path',
    item,
    '--method',
    'org.freedesktop.DBus.Properties.Get',
    'org.kde.StatusNotifierItem',
    'Menu',
  );
  const menu = /objectpath '([^']+)'/.exec(menuProp)?.[1];
  if (!menu) throw new Error(`the tray icon has no menu: ${menuProp.trim()}`);
  return { bus, menu };
}

/** The tray menu's top-level items: [{ id, label, enabled, separator }]. */
export function trayMenu() {
  const { bus, menu } = trayMenuAddress();
  const layout = gdbus(
    '--dest',
    bus,
    '--object-path',
    menu,
    '--method',
    'com.canonical.dbusmenu.GetLayout',
    '--',
    '0',
    '-1',
    '[]',
  );
  const items = [];
  for (const match of layout.matchAll(/<\((\d+), \{([^}]*)\}/g)) {
    const props = match[2];
    items.push({
      id: Number(match[1]),
      label: /'label': <(['"])(.*?)\1>/.exec(props)?.[2] ?? '',
      enabled: !/'enabled': <false>/.test(props),
      separator: /'type': <'separator'>/.test(props),
    });
  }
  return items;
}

/** Clicks the tray menu item labelled `label`, as a tray host does. */
export function clickTray(label) {
  const { bus, menu } = trayMenuAddress();
  const item = trayMenu().find((i) => i.label === label);
  if (!item) throw new Error(`no tray menu item "${label}"`);
  gdbus(
    '--dest',
    bus,
    '--object-path',
    menu,
    '--method',
    'com.canonical.dbusmenu.Event',
    String(item.id),
    'clicked',
    '<0>',
    '0',
  );
}
