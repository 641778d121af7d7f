// `make bench`, app figures: cold start to first paint, unlock to the painted dashboard, then a
// painted inventory of 10k tokens, the dashboard's render of 1k and 10k tokens (from the
// `timeline-painted` mark the chart posts two frames after it is drawn), memory of the whole
// process tree (app + WebKit processes) with the window open and idle in the tray after closing
// it, and the binary's size.
// Prints figures; asserts nothing. Run inside tests/harness/with-services.sh:
//   node tests/e2e/bench.mjs path/to/tokenwarden path/to/seeded-vault-dir PASSWORD [more seeded dirs…]
// Each further vault (same password) only gets the dashboard figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, sleep, startDriver } from './webdriver.mjs';

const [appArg, seeded, password, ...moreVaults] = process.argv.slice(2);
const app = resolve(appArg);
const driverBin = process.env.TAURI_DRIVER ?? 'tauri-driver';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function withDriver(vault, fn) {
  // As the e2e run: WebKit's DMA-BUF renderer hangs the window under Xvfb.
  const { base, driver } = await startDriver(driverBin, {
    TOKENWARDEN_VAULT: vault,
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
  });
  try {
    return await fn(base);
  } finally {
    driver.kill();
    await sleep(300);
  }
}

function children() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      map.set(Number(name), { ppid, comm });
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** The app process and everything below it, with PSS and RSS in MiB. */
function treeMemory(rootComm) {
  const procs = children();
  const root = [...procs].find(([, p]) => p.comm === rootComm)?.[0];
  if (!root) return null;
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [pid, p] of procs) if (p.ppid === tree[i]) tree.push(pid);
  }
  const rows = tree.map((pid) => {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
    return { pid, comm: procs.get(pid).comm, pss: field('Pss'), rss: field('Rss') };
  });
  return rows;
}

console.log('Tokenwarden app benchmarks (Xvfb, 2 cores; median of runs)\n');
console.log(`binary: ${app} — ${(statSync(app).size / 1048576).toFixed(1)} MiB`);

// Cold start: process spawn (session request) to the first contentful paint, fresh vault dir.
const starts = [];
for (let run = 0; run < 5; run += 1) {
  const vault = join(mkdtempSync(join(tmpdir(), 'tw-bench-')), 'vault');
  await withDriver(vault, async (base) => {
    const t0 = Date.now();
    const session = await Session.start(base, app);
    const painted = await session.until('first paint', 10000, () =>
      session.execute(
        'const p = performance.getEntriesByType("paint").find(e => e.name === "first-contentful-paint"); return p ? performance.timeOrigin + p.startTime : null;',
      ),
    );
    starts.push(painted - t0);
    await session.end();
  });
}
console.log(
  `cold start to first contentful paint: ${median(starts).toFixed(0)} ms (runs: ${starts.map((s) => s.toFixed(0)).join(', ')}; includes WebKitWebDriver's start)`,
);

// The dashboard: unlock (it is the landing view) to the chart painted with every token, then the
// chart drawn again from scratch (All tokens → Dashboard) a few times. Times run to the chart's
// `timeline-painted` mark, posted two frames after the marks are in the DOM.
const chartAfter = (testid) => `
  const done = arguments[arguments.length - 1];
  performance.clearMarks('timeline-painted');
  const t0 = performance.now();
  document.querySelector('[data-testid="${testid}"]').click();
  const check = () => {
    const mark = performance.getEntriesByName('timeline-painted').find((m) => m.detail.placed > 0);
    if (mark) done({ ms: mark.startTime - t0, ...mark.detail });
    else setTimeout(check, 5);
  };
  check();
`;
async function dashboardFigures(session) {
  const unlocked = await session.executeAsync(chartAfter('unlock-submit'));
  const tokens = await session.execute(
    'return document.querySelector("[data-testid=nav-all]")?.textContent.replace(/\\D+/g, "") ?? "?"',
  );
  const redraws = [];
  for (let run = 0; run < 5; run += 1) {
    await (await session.find('nav-all')).click();
    await session.waitFor('token-row', 15000);
    const drawn = await session.executeAsync(chartAfter('nav-dashboard'));
    redraws.push(drawn.ms);
  }
  console.log(
    `dashboard of ${tokens} tokens: unlock to the painted chart ${unlocked.ms.toFixed(0)} ms; the chart drawn again ${median(redraws).toFixed(0)} ms (runs: ${redraws.map((r) => r.toFixed(0)).join(', ')}); ${unlocked.placed} tokens on the chart in ${unlocked.marks} marks`,
  );
}

for (const vault of moreVaults) {
  await withDriver(vault, async (base) => {
    const session = await Session.start(base, app);
    await (await session.waitFor('unlock-password', 15000)).type(password);
    await dashboardFigures(session);
    await session.end();
  });
}

// Unlock to the painted dashboard, a painted inventory, then memory at idle.
await withDriver(seeded, async (base) => {
  const session = await Session.start(base, app);
  const field = await session.waitFor('unlock-password', 15000);
  await field.type(password);
  await dashboardFigures(session);
  // Then the inventory: Dashboard → All tokens, to the list's first painted rows.
  await (await session.find('nav-dashboard')).click();
  await session.waitFor('timeline-chart', 15000);
  const ms = await session.executeAsync(`
    const done = arguments[arguments.length - 1];
    const t0 = performance.now();
    const seen = () => document.querySelector('[data-testid="token-row"]');
    const finish = () => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
    const observer = new MutationObserver(() => { if (seen()) { observer.disconnect(); finish(); } });
    observer.observe(document.body, { childList: true, subtree: true });
    document.querySelector('[data-testid="nav-all"]').click();
  `);
  const rows = await session.execute(
    'return document.querySelectorAll("[data-testid=token-row]").length',
  );
  const count = await session.execute(
    'return document.querySelector("[data-testid=nav-all]")?.textContent.replace(/\\D+/g, "") ?? "?"',
  );
  console.log(
    `dashboard to painted inventory of ${count} tokens (All tokens): ${ms.toFixed(0)} ms (${rows} rows in the DOM)`,
  );
  await sleep(5000);
  const report = (what) => {
    const tree = treeMemory('tokenwarden');
    if (!tree) return;
    const sum = (k) => tree.reduce((a, r) => a + r[k], 0);
    console.log(`${what}: PSS ${sum('pss').toFixed(0)} MiB, RSS ${sum('rss').toFixed(0)} MiB`);
    for (const r of tree)
      console.log(
        `  ${r.comm.padEnd(22)} PSS ${r.pss.toFixed(0).padStart(4)} MiB  RSS ${r.rss.toFixed(0).padStart(4)} MiB`,
      );
  };
  report('idle memory, window open with the inventory');
  // Closed to the tray: the window and its web process are gone (target: 60 MiB for the tree).
  execFileSync('python3', [resolve('tests/e2e/close-window.py'), 'Tokenwarden']);
  await sleep(5000);
  report('idle in tray, whole process tree');
  const appPid = [...children()].find(([, p]) => p.comm === 'tokenwarden')?.[0];
  await session.end();
  try {
    if (appPid) process.kill(appPid);
  } catch {
    // Already gone with the WebDriver session.
  }
});
