// End to end, in the real app window: the built binary under Xvfb, driven by tauri-driver +
// WebKitWebDriver, with a fresh vault dir, a real D-Bus session and gnome-keyring (run inside
// tests/harness/with-services.sh). Screenshots of each main screen go to tests/artifacts/screenshots.
//   node tests/e2e/app.e2e.mjs path/to/tokenwarden
import { spawn, execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  writeFileSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Session, sleep, startDriver } from './webdriver.mjs';
import {
  clickTray,
  pidsOf,
  processes,
  trayMenu,
  tree,
  webkitAnywhere,
  webkitProcesses,
} from './desktop.mjs';

const app = resolve(process.argv[2] ?? 'target/debug/tokenwarden');
const driverBin = process.env.TAURI_DRIVER ?? 'tauri-driver';
const shots = resolve('tests/artifacts/screenshots');
mkdirSync(shots, { recursive: true });
const vault = join(mkdtempSync(join(tmpdir(), 'tokenwarden-e2e-')), 'vault');

// Every step in this file must run: a run that stopped early, or threw between steps, fails.
// E2E_UNTIL=<text> plans the steps up to and including the first whose title holds the text (the
// steps build on each other, so a run always starts at the first).
const titles = [
  ...readFileSync(new URL(import.meta.url), 'utf8').matchAll(/^\s*await step\(\s*(['"`])(.*?)\1/gm),
].map((m) => m[2]);
if (
  titles.length !==
  (readFileSync(new URL(import.meta.url), 'utf8').match(/^\s*await step\(/gm) ?? []).length
) {
  console.log(
    'not ok - every step title is a plain string literal (the runner reads them to plan the run)',
  );
  process.exit(1);
}
const until = process.env.E2E_UNTIL;
const last = until ? titles.findIndex((title) => title.includes(until)) : titles.length - 1;
if (last < 0) {
  console.log(`not ok - E2E_UNTIL="${until}" names no step of this file`);
  process.exit(1);
}
const planned = last + 1;
let passed = 0;
let failed = 0;
async function step(name, fn) {
  if (passed >= planned) throw { untilReached: true };
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(error.stack || error).replace(/\n/g, '\n  ')}`);
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      fromStep: true,
    });
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// The whole Xvfb screen, as a person would see it. (WebKitWebDriver's own screenshot command
// stalls on some pages, so ImageMagick's `import` takes the picture instead.)
async function shot(_session, name) {
  await sleep(150);
  execFileSync('import', ['-window', 'root', join(shots, `${name}.png`)], { stdio: 'ignore' });
}

/** How many colours the app's X window shows, read from the X server as a person sees it: a
 *  window whose web view GTK has not drawn is one flat colour (the view's drawing is held until
 *  the page has loaded, see src-tauri/src/first_draw.rs). */
function windowColours(title) {
  const id = execFileSync('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')[0];
  const picture = join(shots, 'window-colours.png');
  execFileSync('import', ['-window', id, picture], { stdio: 'ignore' });
  return Number(execFileSync('convert', [picture, '-format', '%k', 'info:'], { encoding: 'utf8' }));
}

function clipboard() {
  try {
    return execFileSync('xclip', ['-selection', 'clipboard', '-o'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch {
    return null;
  }
}

// What the X clipboard holds, or null when it holds no text. Any other xclip failure throws: it
// must never read as a cleared clipboard.
function clipboardStrict() {
  try {
    return execFileSync('xclip', ['-selection', 'clipboard', '-o'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } catch (error) {
    const said = String(error.stderr ?? '');
    if (/target (UTF8_)?STRING not available/.test(said)) return null;
    throw new Error(`xclip could not read the clipboard: ${said.trim() || error.message}`);
  }
}

/**
 * Chooses `path` in the app's native GTK file dialog titled `title`, as a person would: the file
 * chooser (opened by Rust; the webview never sees the path) is focused, Ctrl+L opens its location
 * entry, Ctrl+A selects what is there, the full path is typed and Return confirms. No window
 * manager runs under Xvfb, so xdotool gives the dialog the keyboard focus itself.
 */
async function chooseInFileDialog(title, path) {
  const xdotool = (...args) =>
    execFileSync('xdotool', args, { encoding: 'utf8', timeout: 30000 }).trim();
  const window = xdotool('search', '--sync', '--onlyvisible', '--name', `^${title}$`).split(
    '\n',
  )[0];
  xdotool('windowfocus', '--sync', window);
  await sleep(500);
  xdotool('key', '--clearmodifiers', 'ctrl+l');
  await sleep(200);
  xdotool('key', '--clearmodifiers', 'ctrl+a');
  xdotool('type', '--delay', '30', path);
  await sleep(300);
  xdotool('key', '--clearmodifiers', 'Return');
}

async function typeInto(session, testid, text) {
  const el = await session.waitFor(testid);
  await el.clear();
  await el.type(text);
  return el;
}

// Lock closes the window (its web process ends with it, and everything typed or shown there) and
// opens a new one on the lock screen: the WebDriver session carries on in the new window.
async function afterLock(s) {
  // Not the window the lock closes: its page shows the lock screen too, until Rust destroys it.
  const closing = await s.cmd('GET', '/window').catch(() => null);
  await s.until('the new window on the lock screen', 15000, async () => {
    const handles = await s.cmd('GET', '/window/handles').catch(() => []);
    const fresh = handles.filter((handle) => handle !== closing);
    if (fresh.length === 0) return null;
    await s.cmd('POST', '/window', { handle: fresh[fresh.length - 1] }).catch(() => {});
    const fields = await s.findAll('unlock-password').catch(() => []);
    return fields.length > 0 ? fields : null;
  });
}

async function rowNames(session) {
  const names = [];
  for (const row of await session.findAll('token-row'))
    names.push(await (await row.find('token-name')).text());
  return names;
}

let driver;
let session;
let appPid;
let trayPid;

// The local fake provider server (tests/fake-providers/server.py): the app's GitLab, GitHub
// and Slack API calls go to it through TOKENWARDEN_API_<PROVIDER>; nothing reaches the network.
async function startFakeProviders() {
  // Its stdin stays open for our lifetime: it exits when we do (--exit-with-parent).
  const child = spawn(
    'python3',
    [resolve('tests/fake-providers/server.py'), '--port', '0', '--exit-with-parent'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const base = await new Promise((resolveBase, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`fake provider server did not start: ${seen}`)),
      10000,
    );
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString();
      const match = /listening (http:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolveBase(match[1]);
      }
    });
  });
  const admin = async (method, path, body) => {
    const response = await fetch(`${base}/_admin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.json();
  };
  return { child, base, admin };
}
const fakeProviders = await startFakeProviders();

// The web content process of a window (its comm is cut to 15 characters). Tauri keeps the shared
// WebKitNetworkProcess for the app's lifetime on Linux (tauri-apps/tauri#14626), so only this one
// goes away with the window.
const webProcesses = (pid) =>
  webkitProcesses(pid).filter((p) => p.comm.startsWith('WebKitWebProces'));
// A GitHub token with a valid checksum: 30 random characters, then the CRC-32 of them in base62.
function githubToken(prefix, body) {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(body)) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  crc = (crc ^ 0xffffffff) >>> 0;
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let check = '';
  for (let n = crc; n > 0; n = Math.floor(n / 62)) check = digits[n % 62] + check;
  return `${prefix}${body}${check.padStart(6, '0')}`;
}
const secrets = {
  soon: 'ghp_e2eSoon0123456789abcdefghijklmnopqrSOON',
  later: 'glpat-e2eLater0123456789ab',
  never: 'sk_test_e2eNever0123456789abcdefgh',
  imported: 'hf_e2eImported0123456789abcdefghijkl',
  gitlab: 'glpat-e2eRotateMe012345678',
  github: githubToken('ghp_', 'e2eGuidedOld0123456789abcdefgh'),
  githubNew: githubToken('ghp_', 'e2eGuidedNew0123456789abcdefgh'),
  slack: 'xoxb-1234567890-1234567890123-e2eSlackBotTokenAbCdEf12',
  killedOld: githubToken('ghp_', 'e2eKilledOld0123456789abcdefgh'),
  killedNew: githubToken('ghp_', 'e2eKilledNew0123456789abcdefgh'),
  // The scan sets aside values with obvious sequences as placeholders, so these have none.
  scanKnown: 'glpat-ScKn7wQ4rTz8xBv2LmPd',
  scanUnknown: 'hf_e2eScanQmTsLkPzWxVbNrYcJdHgFaKeUoR',
};

/** The app's time zone in this run (India: +05:30 all year, so no daylight-saving edge). */
const APP_ZONE = 'Asia/Kolkata';

try {
  const started = await startDriver(driverBin, {
    TOKENWARDEN_VAULT: vault,
    TOKENWARDEN_KDF: 'fast',
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
    // The app runs in a zone other than the machine's (UTC in CI): dates on screen must follow it.
    TZ: APP_ZONE,
    TOKENWARDEN_API_GITLAB: `${fakeProviders.base}/gitlab`,
    TOKENWARDEN_API_GITHUB: `${fakeProviders.base}/github`,
    TOKENWARDEN_API_SLACK: `${fakeProviders.base}/slack`,
  });
  driver = started.driver;
  const appStderr = started.stderr;
  session = await Session.start(started.base, app);

  await step('first run offers to create a vault', async () => {
    await session.waitFor('setup-password');
    await shot(session, '01-first-run');
  });

  await step(
    'the window draws the page once it has loaded (its first draw is held until then)',
    async () => {
      let colours = 0;
      for (let tries = 0; tries < 50 && colours < 50; tries += 1) {
        colours = windowColours('Tokenwarden');
        if (colours < 50) await sleep(100);
      }
      assert(colours >= 50, `the window shows ${colours} colours: its web view was not drawn`);
    },
  );

  await step('creating a vault opens the dashboard, and the inventory is empty', async () => {
    await typeInto(session, 'setup-password', 'e2e correct horse battery');
    await typeInto(session, 'setup-password-confirm', 'e2e correct horse battery');
    await (await session.find('setup-submit')).click();
    await session.waitFor('dashboard', 20000);
    await (await session.find('nav-all')).click();
    await session.waitFor('empty-state', 20000);
    await shot(session, '02-empty-inventory');
  });

  await step(
    'a TOKENWARDEN_API_* variable in effect shows a warning naming the provider and the host',
    async () => {
      const banner = await session.waitFor('api-override-banner', 10000);
      const text = await banner.text();
      for (const [name, variable] of [
        ['GitLab', 'TOKENWARDEN_API_GITLAB'],
        ['GitHub', 'TOKENWARDEN_API_GITHUB'],
        ['Slack', 'TOKENWARDEN_API_SLACK'],
      ]) {
        assert(
          text.includes(`${name}'s API calls`) && text.includes(variable),
          `the warning misses ${name}: ${text}`,
        );
      }
      assert(
        text.includes(new URL(fakeProviders.base).host),
        `the warning does not name the host ${new URL(fakeProviders.base).host}: ${text}`,
      );
      assert(/127\.0\.0\.1/.test(text), `no 127.0.0.1 in the warning: ${text}`);
      await shot(session, '02b-api-override-warning');
    },
  );

  await step('the app turned core dumps off for itself (a dump would hold the keys)', async () => {
    const coreLimit = (pid) =>
      /^Max core file size\s+(\S+)\s+(\S+)/m
        .exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))
        .slice(1)
        .join(' ');
    // The Makefile raises the runner's soft limit, which the app inherits: only the app itself lowers it to 0.
    const runner = coreLimit(process.pid);
    assert(
      !runner.startsWith('0 '),
      `the runner allows no core dumps itself (${runner}), so this step would prove nothing`,
    );
    const [pid] = pidsOf('tokenwarden');
    assert(pid, 'no app process');
    assert(coreLimit(pid) === '0 0', `the app's core limit: ${coreLimit(pid)}`);
  });

  const add = async (name, secret, preset, extra = {}) => {
    await (await session.waitFor('new-token')).click();
    await typeInto(session, 'field-name', name);
    await typeInto(session, 'field-secret', secret);
    const select = await session.find('expiry-preset');
    await session.execute(
      'arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event("change", { bubbles: true }));',
      [select.ref(), preset],
    );
    for (const [field, value] of Object.entries(extra)) await typeInto(session, field, value);
    // Pasting a known format adds a "Detected: …" line above the fields a moment later; wait for
    // it, so the form does not shift under the click on Save.
    await session.waitFor('detected-provider', 5000).catch(() => {});
    const submit = await session.find('form-submit');
    await session.execute('arguments[0].scrollIntoView({ block: "center" })', [submit.ref()]);
    await submit.click();
    await session.waitGone('token-form');
  };

  await step('three tokens added with different expiries', async () => {
    await add('later token', secrets.later, '90');
    await add('soon token', secrets.soon, '7', { 'field-tags': 'ci' });
    await add('never token', secrets.never, 'none');
    await add('<img src=x onerror=alert(1)>', 'xss-0123456789abcdefghijkl', '365');
    await shot(session, '03-inventory');
  });

  await step('they show soonest first with the right countdown text', async () => {
    const names = await rowNames(session);
    assert(
      JSON.stringify(names) ===
        JSON.stringify([
          'soon token',
          'later token',
          '<img src=x onerror=alert(1)>',
          'never token',
        ]),
      `order: ${JSON.stringify(names)}`,
    );
    const countdowns = [];
    for (const el of await session.findAll('token-countdown')) countdowns.push(await el.text());
    assert(/in 7 days/.test(countdowns[0]), `soon: ${countdowns[0]}`);
    assert(/in 3 months/.test(countdowns[1]), `later: ${countdowns[1]}`);
    assert(/no expiry/.test(countdowns[3]), `never: ${countdowns[3]}`);
    const urgency = await session.findAll('token-countdown').then((els) => els[0].attr('class'));
    assert(/urgency-urgent/.test(urgency), `soon is urgent: ${urgency}`);
  });

  await step('a name with markup renders as text', async () => {
    const imgs = await session.execute('return document.querySelectorAll("img[src=x]").length;');
    assert(imgs === 0, 'the token name became an <img> element');
  });

  await step('search narrows the list as you type', async () => {
    await typeInto(session, 'search', 'soon');
    await session.until('one row', 5000, async () => (await rowNames(session)).length === 1);
    assert((await rowNames(session))[0] === 'soon token', 'search kept the wrong row');
    await shot(session, '04-search');
    await (await session.find('search')).clear();
    await session.until('all rows back', 5000, async () => (await rowNames(session)).length === 4);
  });

  await step('opening a token shows its detail with the secret masked', async () => {
    const rows = await session.findAll('token-row');
    await rows[0].click();
    await session.waitFor('token-detail');
    const masked = await (await session.waitFor('secret-value')).text();
    assert(!masked.includes(secrets.soon), 'secret shown before reveal');
    await shot(session, '05-detail');
  });

  await step('reveal shows the secret and hides it again', async () => {
    await (await session.find('reveal-button')).click();
    await session.until('secret revealed', 5000, async () =>
      (await (await session.find('secret-value')).text()).includes(secrets.soon),
    );
    await shot(session, '06-revealed');
    await session.until(
      'secret hidden again',
      20000,
      async () => !(await (await session.find('secret-value')).text()).includes(secrets.soon),
    );
  });

  await step('settings shorten the clipboard timeout', async () => {
    await (await session.find('settings-button')).click();
    await typeInto(session, 'setting-clipboard', '5');
    // Start at login is read from the OS through the autostart plugin (off in a fresh session).
    const autostart = await session.waitFor('setting-autostart');
    assert((await autostart.prop('checked')) === false, 'start at login is off by default');
    await shot(session, '07-settings');
    await (await session.find('settings-save')).click();
    await sleep(300);
  });

  await step(
    'copy puts the secret on the clipboard and it is cleared after the timeout',
    async () => {
      const rows = await session.findAll('token-row');
      if (rows.length === 0) await (await session.waitFor('nav-all')).click();
      const row = await session.waitFor('token-row');
      await row.click();
      await (await session.waitFor('copy-button')).click();
      const status = await session.waitFor('copy-status');
      assert(/clears in 5 s/.test(await status.text()), `copy status: ${await status.text()}`);
      await session.until(
        'clipboard holds the secret',
        5000,
        async () => clipboard() === secrets.soon,
      );
      await session.until('clipboard cleared', 12000, async () => clipboard() !== secrets.soon);
    },
  );

  await step('lock, then unlock with the password, and the tokens are there', async () => {
    await (await session.find('lock')).click();
    await afterLock(session);
    const rows = await session.findAll('token-row');
    assert(rows.length === 0, 'rows still in the page after locking');
    await shot(session, '08-locked');
    await typeInto(session, 'unlock-password', 'not the password');
    await (await session.find('unlock-submit')).click();
    const error = await session.waitFor('unlock-error');
    assert(/wrong/i.test(await error.text()), `unlock error: ${await error.text()}`);
    await typeInto(session, 'unlock-password', 'e2e correct horse battery');
    await (await session.find('unlock-submit')).click();
    // Unlocking lands on the dashboard; the inventory is one click away.
    await session.waitFor('dashboard', 20000);
    await (await session.find('nav-all')).click();
    await session.until('four rows', 20000, async () => (await rowNames(session)).length === 4);
    await shot(session, '09-unlocked');
  });

  await step('the web process hands back its free pages when the window asks', async () => {
    // The window loads its web process extension (src-tauri/webext) from a private directory that
    // goes once the page has loaded; asked, the extension answers from inside the web process.
    const [pid] = pidsOf('tokenwarden');
    const [web] = webProcesses(pid);
    assert(web, 'the window has a web process');
    const released = await session.executeAsync(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke('memory_release').then(done, (e) => done({ error: String(e && e.message || e) }));`,
    );
    assert(
      released && released.resident_before_kib > 0 && released.resident_after_kib > 0,
      `the extension did not answer: ${JSON.stringify(released)}`,
    );
    // The figures are the web process's own: its resident size as /proc shows it just after.
    const resident = (p) =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    const [webNow, windowNow] = [resident(web.pid), resident(pid)];
    assert(
      Math.abs(webNow - released.resident_after_kib) < webNow * 0.1,
      `answered ${released.resident_after_kib} KiB; the web process has ${webNow} KiB, the window process ${windowNow} KiB`,
    );
    const runtime = process.env.XDG_RUNTIME_DIR ?? tmpdir();
    const left = readdirSync(runtime).filter((name) => name.startsWith('tokenwarden-webext-'));
    assert(left.length === 0, `the extension's directory is still there: ${left} in ${runtime}`);
  });

  await step(
    'the dashboard charts the tokens, Health shows a finding and its fix button removes it',
    async () => {
      await (await session.find('nav-dashboard')).click();
      await session.waitFor('timeline-chart', 10000);
      // soon (7 days), later (90 days) and the markup one (365 days) fall in three different
      // weeks of the next 12 months, one token each; "never token" has no expiry.
      const marks = await session.until('three marks on the timeline', 10000, async () => {
        const found = await session.findAll('timeline-mark');
        return found.length === 3 ? found : null;
      });
      let counted = 0;
      for (const mark of marks) counted += Number(await mark.attr('data-count'));
      assert(counted === 3, `the marks count ${counted} tokens`);
      const summary = await (await session.find('timeline-summary')).text();
      assert(/3 tokens on the chart · 1 with no expiry/.test(summary), `summary: ${summary}`);
      const first = await session.execute(
        'const m = document.querySelector("[data-testid=timeline-mark]"); m.focus(); return m.getAttribute("aria-label");',
      );
      assert(/soon token/.test(first), `the first mark: ${first}`);
      await session.until('the focused mark shows its token', 5000, async () =>
        /soon token/.test(await (await session.find('timeline-readout')).text()),
      );
      await shot(session, '09b-dashboard');

      const noExpiry = async () => {
        const rows = [];
        for (const row of await session.findAll('finding')) {
          if ((await row.attr('data-kind')) !== 'no_expiry') continue;
          if ((await (await row.find('finding-token')).text()) === 'never token') rows.push(row);
        }
        return rows;
      };
      await (await session.find('nav-health')).click();
      await session.waitFor('health-view', 10000);
      const [row] = await session.until('the no-expiry finding of never token', 10000, async () => {
        const rows = await noExpiry();
        return rows.length ? rows : null;
      });
      assert(
        /no expiry/.test(await (await row.find('finding-evidence')).text()),
        'the finding names its evidence',
      );
      await shot(session, '09c-health');
      // Set expiry… opens the token form; saving an expiry fixes the cause.
      await (await row.find('finding-fix')).click();
      const setPreset = async (preset) => {
        const select = await session.waitFor('expiry-preset');
        await session.execute(
          'arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event("change", { bubbles: true }));',
          [select.ref(), preset],
        );
        const submit = await session.find('form-submit');
        await session.execute('arguments[0].scrollIntoView({ block: "center" })', [submit.ref()]);
        await submit.click();
        await session.waitGone('token-form');
      };
      await setPreset('90');
      await session.until('the finding gone, without a reload', 10000, async () => {
        return (
          (await session.findAll('health-view')).length === 1 && (await noExpiry()).length === 0
        );
      });
      // Put it back as it was: the later steps (the tray's expiries) expect it with no expiry.
      await (await session.find('nav-all')).click();
      const rowsNow = await session.findAll('token-row');
      for (const r of rowsNow) {
        if ((await (await r.find('token-name')).text()) === 'never token') await r.click();
      }
      await (await session.waitFor('edit-button')).click();
      await setPreset('none');
      await (await session.find('nav-health')).click();
      await session.until('the finding back with its cause', 10000, async () => {
        return (await noExpiry()).length === 1;
      });
      await (await session.find('nav-all')).click();
    },
  );

  await step('locking clears the clipboard at once if it still holds a copied secret', async () => {
    // A long timeout, so only the lock can have cleared it.
    await (await session.find('settings-button')).click();
    await typeInto(session, 'setting-clipboard', '300');
    await (await session.find('settings-save')).click();
    await sleep(300);
    await (await session.waitFor('nav-all')).click();
    await (await session.waitFor('token-row')).click();
    await (await session.waitFor('copy-button')).click();
    const status = await session.waitFor('copy-status');
    assert(/clears in 300 s/.test(await status.text()), `copy status: ${await status.text()}`);
    const copied = await session.until('clipboard holds a secret', 5000, async () => {
      const now = clipboardStrict();
      return now && Object.values(secrets).includes(now) ? now : null;
    });
    await (await session.find('lock')).click();
    await afterLock(session);
    await session.until(
      'clipboard emptied by the lock',
      20000,
      async () => clipboardStrict() === null,
    );
    assert(clipboardStrict() !== copied, 'the secret is still on the clipboard');
    await typeInto(session, 'unlock-password', 'e2e correct horse battery');
    await (await session.find('unlock-submit')).click();
    await (await session.waitFor('nav-all', 20000)).click();
    await session.until('four rows', 20000, async () => (await rowNames(session)).length === 4);
  });

  const exchange = mkdtempSync(join(tmpdir(), 'tokenwarden-e2e-files-'));

  await step('an import previews a CSV, skips the duplicate and adds the new token', async () => {
    const csv = join(exchange, 'tokens.csv');
    writeFileSync(
      csv,
      `name,token,expires\nimported bot,${secrets.imported},2027-06-01\nsoon again,${secrets.soon},\n`,
    );
    await (await session.find('import-button')).click();
    await (await session.find('import-choose')).click();
    await chooseInFileDialog('Choose a file to import', csv);
    await session.until(
      'the chosen file name shows',
      15000,
      async () => (await (await session.find('import-file')).text()) === 'tokens.csv',
    );
    await (await session.find('import-preview-button')).click();
    const summary = await session.waitFor('import-summary', 10000);
    const text = await summary.text();
    assert(/1 to create/.test(text) && /1 duplicate/.test(text), `summary: ${text}`);
    assert((await session.findAll('import-row')).length === 2, 'two preview rows');
    await shot(session, '10-import-preview');
    await (await session.find('import-apply')).click();
    await session.waitFor('import-result', 10000);
    await (await session.find('import-close')).click();
    await session.until('five rows', 10000, async () =>
      (await rowNames(session)).includes('imported bot'),
    );
    assert((await rowNames(session)).length === 5, 'the duplicate was not imported');
  });

  await step('dates show in the local time zone of the app, not in UTC', async () => {
    // The CSV's day is midnight UTC: 05:30 in Kolkata, named as the locale names the zone.
    await typeInto(session, 'search', 'imported bot');
    await session.until('one row', 5000, async () => (await rowNames(session)).length === 1);
    await (await session.find('token-row')).click();
    const expires = await (await session.waitFor('detail-expires')).text();
    assert(/\b0?5:30\b/.test(expires), `expiry not in local time: ${expires}`);
    assert(/GMT\+5:30|IST/.test(expires), `the zone is not named: ${expires}`);
    assert(!/UTC|00:00/.test(expires), `expiry shown in UTC: ${expires}`);
    await (await session.find('search')).clear();
    await session.until('all rows back', 5000, async () => (await rowNames(session)).length === 5);
  });

  await step(
    'an encrypted backup export writes a 0600 file with no secret in the clear',
    async () => {
      const backup = join(exchange, 'inventory.age');
      await (await session.find('export-button')).click();
      await (await session.find('export-choose')).click();
      await chooseInFileDialog('Save the export as', backup);
      await session.until(
        'the chosen file name shows',
        15000,
        async () => (await (await session.find('export-file')).text()) === 'inventory.age',
      );
      await typeInto(session, 'export-passphrase', 'e2e backup passphrase');
      await typeInto(session, 'export-passphrase-confirm', 'e2e backup passphrase');
      await (await session.find('export-submit')).click();
      const result = await session.waitFor('export-result', 20000);
      assert(/Exported 5 tokens/.test(await result.text()), `export: ${await result.text()}`);
      await shot(session, '11-export-done');
      await (await session.find('export-close')).click();
      const bytes = readFileSync(backup);
      assert(bytes.subarray(0, 21).toString() === 'age-encryption.org/v1', 'not an age file');
      assert(
        (statSync(backup).mode & 0o777) === 0o600,
        `mode ${(statSync(backup).mode & 0o777).toString(8)}`,
      );
      for (const secret of Object.values(secrets)) {
        assert(!bytes.includes(Buffer.from(secret)), `${secret} in plaintext in the backup`);
      }
    },
  );

  await step(
    'an export into a hidden folder of the home (~/.config) is refused and writes nothing',
    async () => {
      const config = join(process.env.HOME, '.config');
      mkdirSync(config, { recursive: true });
      const target = join(config, 'tokenwarden-e2e-refused.csv');
      await (await session.find('export-button')).click();
      await (await session.find('export-choose')).click();
      await chooseInFileDialog('Save the export as', target);
      const error = await session.waitFor('export-error', 15000);
      const text = await error.text();
      assert(
        /hidden folder of your home directory/.test(text) && /choose another folder/.test(text),
        `error: ${text}`,
      );
      assert(
        (await (await session.find('export-file')).text()) === 'No file chosen',
        'no file was accepted',
      );
      assert(
        !readdirSync(config).includes('tokenwarden-e2e-refused.csv'),
        'the refused file was written',
      );
      await shot(session, '11b-export-refused');
      await (await session.find('export-cancel')).click();
    },
  );

  await step(
    'a scan of a folder chosen in the dialog finds a known and an unknown token, links one and imports the other',
    async () => {
      await add('scan known token', secrets.scanKnown, 'none');
      const project = join(mkdtempSync(join(tmpdir(), 'tokenwarden-e2e-scan-')), 'project');
      mkdirSync(project);
      const env = join(project, '.env');
      writeFileSync(env, `GITLAB_TOKEN=${secrets.scanKnown}\nHF_TOKEN=${secrets.scanUnknown}\n`);
      await (await session.waitFor('nav-scan')).click();
      await (await session.waitFor('scan-choose')).click();
      await chooseInFileDialog('Choose a folder to scan', project);
      await session.waitFor('scan-apply', 30000).catch(async (error) => {
        await shot(session, '11c-scan-failed');
        const dialog = await session.findAll('scan-dialog');
        const said = dialog.length ? await dialog[0].text() : 'no scan dialog';
        throw new Error(`${error.message}; the dialog says: ${said}`);
      });
      const groups = [];
      for (const finding of await session.findAll('scan-finding')) {
        groups.push(await finding.attr('data-group'));
      }
      assert(
        JSON.stringify(groups) === '["known","unknown"]',
        `findings: ${JSON.stringify(groups)}`,
      );
      const shown = await (await session.find('scan-dialog')).text();
      assert(
        shown.includes("'scan known token'") && shown.includes('Hugging Face'),
        `results: ${shown}`,
      );
      for (const secret of Object.values(secrets)) {
        assert(!shown.includes(secret), 'a secret is shown in the scan results');
      }
      await shot(session, '11c-scan-results');
      const apply = await session.find('scan-apply');
      assert(/link 1, import 1/.test(await apply.text()), `apply: ${await apply.text()}`);
      await apply.click();
      const summary = await (await session.waitFor('scan-summary', 15000)).text();
      assert(/Recorded 1 new usage and imported 1 token/.test(summary), `summary: ${summary}`);
      await (await session.find('scan-close')).click();
      await session.waitGone('scan-dialog');
      await session.until('the imported token in the list', 10000, async () =>
        (await rowNames(session)).some((name) => name.startsWith('Hugging Face')),
      );
      const rows = await session.findAll('token-row');
      const names = await rowNames(session);
      await rows[names.indexOf('scan known token')].click();
      await session.until("the usage in the known token's detail", 10000, async () => {
        const usages = await session.findAll('detail-usages');
        return usages.length > 0 && (await usages[0].text()).includes(`${env}:1`);
      });
      await shot(session, '11d-scan-usage');
    },
  );

  await step('no secret is in plaintext in any file the app wrote', async () => {
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(vault);
    for (const dir of [
      process.env.XDG_DATA_HOME,
      process.env.XDG_CONFIG_HOME,
      process.env.XDG_CACHE_HOME,
    ]) {
      if (dir) walk(dir);
    }
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of Object.values(secrets)) {
        assert(!bytes.includes(Buffer.from(secret)), `${secret} in plaintext in ${file}`);
      }
    }
  });

  await step(
    'IPC passes through the isolation frame, which lets only the app commands through',
    async () => {
      const frames = await session.execute(
        'return [...document.querySelectorAll("iframe")].map((f) => f.src)',
      );
      assert(
        frames.some((src) => src.startsWith('isolation-')),
        `no isolation frame: ${frames}`,
      );
      const answer = (cmd, args = {}) =>
        session.executeAsync(
          `const done = arguments[arguments.length - 1];
         setTimeout(() => done('no answer'), 10000);
         window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
           () => done('answered'),
           (e) => done('refused by Rust: ' + (typeof e === 'string' ? e : e && e.message)),
         );`,
          [cmd, args],
        );
      assert((await answer('vault_status')) === 'answered', 'an app command did not get through');
      // Without the isolation hook Rust's access control would refuse these itself ("opener.open_url
      // not allowed ..."); the hook rewrites them into ipc_refused, so the answer is the hook's own
      // refusal. (Before, the hook threw and no answer came at all, which proved nothing.)
      for (const cmd of [
        'plugin:opener|open_url',
        'plugin:app|version',
        'plugin:window|set_title',
      ]) {
        const blocked = await answer(cmd, { url: 'https://example.invalid/', title: 'x' });
        assert(
          blocked === `refused by Rust: blocked by the isolation frame: ${cmd}`,
          `${cmd}: ${blocked}`,
        );
      }
    },
  );

  await step(
    'the capability grants only the core permissions the UI uses (listen, not emit)',
    async () => {
      // The event plugin passes the isolation frame; only listen/unlisten are granted, so Rust's
      // access control refuses emit, which core:default would have allowed.
      const emitted = await session.executeAsync(
        `const done = arguments[arguments.length - 1];
       setTimeout(() => done('no answer'), 10000);
       window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'vault-locked', payload: null }).then(
         () => done('answered'),
         (e) => done('refused by Rust: ' + (typeof e === 'string' ? e : JSON.stringify(e))),
       );`,
      );
      assert(
        /^refused by Rust: (core:)?event\.emit not allowed/.test(emitted),
        `plugin:event|emit: ${emitted}`,
      );
      assert((await rowNames(session)).length === 7, 'the app still works (and did not lock)');
    },
  );

  await step('navigation away from the app and new windows are refused', async () => {
    const before = appStderr().length;
    const logged = (line) => appStderr().slice(before).includes(line);
    const handles = await session.cmd('GET', '/window/handles');
    await session.execute(
      "setTimeout(() => { location.href = 'https://example.invalid/away'; }, 0); return true;",
    );
    await session.until('the refused navigation in the app log', 10000, async () =>
      logged('tokenwarden: refused navigation to https://example.invalid/away'),
    );
    // window.open needs a user gesture to get past WebKit's popup blocker: a click on a button.
    await session.execute(
      `const b = document.createElement('button');
       b.dataset.testid = 'e2e-popup';
       b.textContent = 'popup';
       b.addEventListener('click', () => window.open('https://example.invalid/popup', '_blank'));
       document.body.prepend(b);
       return true;`,
    );
    await (await session.waitFor('e2e-popup')).click();
    await session.until('the refused new window in the app log', 10000, async () =>
      logged('tokenwarden: refused a new window for https://example.invalid/popup'),
    );
    await session.execute(
      "document.querySelector('[data-testid=e2e-popup]').remove(); return true;",
    );
    const href = await session.execute('return location.href');
    assert(!href.includes('example.invalid'), `the page went to ${href}`);
    assert((await rowNames(session)).length === 7, 'the app page is still there, unlocked');
    const after = await session.cmd('GET', '/window/handles');
    assert(
      after.length === handles.length && after.length === 1,
      `windows before ${handles}, after ${after}`,
    );
  });

  await step('a second launch hands over to the first window and exits', async () => {
    const second = spawn(app, [], {
      env: { ...process.env, TOKENWARDEN_VAULT: vault },
      stdio: 'ignore',
    });
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('still running'), 10000);
      second.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code === 'still running') second.kill();
    assert(code === 0, `second instance: ${code}`);
    assert((await rowNames(session)).length === 7, 'the first window is still there and unlocked');
  });

  // The tray needs the harness's status-notifier-watcher (Makefile TEST_PACKAGES).
  // Not optional: a run without it would skip steps, and the step count above fails it.
  const tray = Boolean(process.env.TOKENWARDEN_TEST_TRAY);
  if (!tray) console.log('# no status-notifier-watcher in this session: the tray steps cannot run');

  if (tray) {
    await step(
      'the tray menu lists the soonest expiries with countdowns, then Open, Lock and Quit',
      async () => {
        const day = 86_400_000;
        // Soonest first; the imported token's fixed date reads differently as the months pass.
        const expected = [
          { at: Date.now() + 7 * day, label: /^soon token — in 7 days$/ },
          { at: Date.now() + 90 * day, label: /^later token — in 3 months$/ },
          { at: Date.now() + 365 * day, label: /^<img src=x onerror=alert\(1\)> — in 12 months$/ },
          {
            at: Date.parse('2027-06-01T00:00:00Z'),
            label: /^imported bot — (in|expired) \d+ \w+( ago)?$/,
          },
        ].sort((a, b) => a.at - b.at);
        const labels = await session.until('the tray menu to list the tokens', 10000, async () => {
          const items = trayMenu().map((i) => (i.separator ? '---' : i.label));
          return items.length === 8 && expected[0].label.test(items[0]) ? items : null;
        });
        expected.forEach(({ label }, i) =>
          assert(label.test(labels[i]), `tray item ${i}: ${JSON.stringify(labels)}`),
        );
        assert(
          JSON.stringify(labels.slice(4)) ===
            JSON.stringify(['---', 'Open Tokenwarden', 'Lock', 'Quit']),
          `tray menu: ${JSON.stringify(labels)}`,
        );
      },
    );
  }

  // ---- Providers: detection, a check, an API rotation (GitLab) and a guided one (GitHub) ----
  const openRow = async (name) => {
    const rows = await session.findAll('token-row');
    for (const row of rows) {
      if ((await (await row.find('token-name')).text()) === name) {
        await row.click();
        await session.waitFor('token-detail');
        return;
      }
    }
    throw new Error(`no row named ${name}: ${JSON.stringify(await rowNames(session))}`);
  };
  // Irreversible steps ask first; answer yes to whichever confirmation is showing.
  const confirmYes = async () => {
    const yes = await session.until('a confirmation', 5000, async () => {
      for (const id of ['confirm-yes', 'verify-confirm']) {
        const found = await session.findAll(id);
        if (found.length) return found[0];
      }
      return null;
    });
    await session.execute('arguments[0].scrollIntoView({ block: "center" })', [yes.ref()]);
    await yes.click();
    await session.waitGone('confirm-dialog', 5000);
  };
  // Dialog content scrolls on a small screen: bring a button into view before clicking it.
  const press = async (testid, timeout = 10000) => {
    const el = await session.waitFor(testid, timeout);
    await session.execute('arguments[0].scrollIntoView({ block: "center" })', [el.ref()]);
    await el.click();
  };
  const inStep = (step, timeout = 15000) => session.waitFor(`rotation-step-${step}`, timeout);
  const valueOf = async (testid) =>
    session.execute('return arguments[0].value', [(await session.find(testid)).ref()]);
  const fakeToken = async (value) =>
    (await fakeProviders.admin('GET', 'tokens')).find((t) => t.token === value);

  await step(
    'a pasted GitLab token is detected and pre-fills provider, kind and page',
    async () => {
      await fakeProviders.admin('POST', 'tokens', {
        provider: 'gitlab',
        token: secrets.gitlab,
        owner: 'e2e-alice',
        scopes: ['api', 'read_user'],
        expires_at: '2027-03-01',
      });
      await (await session.waitFor('new-token')).click();
      await typeInto(session, 'field-name', 'gitlab deploy');
      await typeInto(session, 'field-secret', secrets.gitlab);
      const detected = await session.waitFor('detected-provider', 5000);
      await session.until('the detection line', 5000, async () =>
        /GitLab/.test(await detected.text()),
      );
      assert(
        !(await detected.text()).includes(secrets.gitlab),
        'the detection line shows the secret',
      );
      assert(
        (await valueOf('field-provider')) === 'gitlab',
        `provider: ${await valueOf('field-provider')}`,
      );
      assert(
        (await valueOf('field-kind')) === 'personal_access_token',
        `kind: ${await valueOf('field-kind')}`,
      );
      assert(
        /^https:\/\/gitlab\.com\//.test(await valueOf('field-url')),
        `url: ${await valueOf('field-url')}`,
      );
      await shot(session, '14-detected-provider');
      await (await session.find('form-submit')).click();
      await session.waitGone('token-form');
    },
  );

  await step(
    'the first check at GitLab says what it will do, then shows owner, scopes and the expiry difference',
    async () => {
      await openRow('gitlab deploy');
      await press('verify-button');
      await session.waitFor('verify-confirm', 5000);
      const host = new URL(fakeProviders.base).host;
      const destination = await (await session.find('api-destination')).text();
      assert(
        destination === host,
        `the consent names ${destination}, not the host it contacts (${host})`,
      );
      assert(
        /not GitLab's own address \(gitlab\.com\)/.test(
          await (await session.find('api-destination-warning')).text(),
        ),
        'no override warning in the consent',
      );
      await shot(session, '15-first-check-consent');
      await confirmYes();
      const result = await session.waitFor('verify-result', 15000);
      await session.until('a valid result', 5000, async () => /valid/i.test(await result.text()));
      assert(/e2e-alice/.test(await (await session.find('verify-owner')).text()), 'owner shown');
      assert(
        /api/.test(await (await session.find('verify-dangerous')).text()),
        'the dangerous scope is flagged',
      );
      assert(
        /2027/.test(await (await session.find('expiry-differs')).text()),
        'the expiry difference is shown',
      );
      await shot(session, '16-verified');
    },
  );

  await step(
    'an API rotation at GitLab: new token issued, checked, promoted, the old one dead',
    async () => {
      await press('rotate-button');
      await session.waitFor('rotation-wizard');
      await press('rotation-method-api');
      await press('rotation-api-rotate');
      await confirmYes();
      await inStep('new_stored');
      assert(
        (await fakeToken(secrets.gitlab)).active === false,
        'GitLab killed the old token when it rotated',
      );
      await press('rotation-verify');
      await inStep('verified');
      await press('rotation-consumers-done');
      await inStep('consumers_updated');
      await press('rotation-promote');
      await confirmYes();
      await inStep('promoted');
      await shot(session, '17-api-rotation-promoted');
      await press('rotation-revoke-api');
      if ((await session.findAll('confirm-dialog')).length) await confirmYes();
      await press('rotation-finish');
      await session.waitFor('rotation-complete', 15000);
      await shot(session, '18-api-rotation-done');
      await press('rotation-close');
      const issued = (await fakeProviders.admin('GET', 'tokens')).filter(
        (t) => t.rotated_from === secrets.gitlab,
      );
      assert(
        issued.length === 1 && issued[0].active,
        `GitLab issued one live token: ${JSON.stringify(issued.length)}`,
      );
    },
  );

  // From a stored new secret to done: check it, no consumers, promote, old one revoked by hand.
  const finishGuidedRotation = async () => {
    await press('rotation-verify');
    if ((await session.findAll('verify-confirm')).length) await confirmYes();
    await inStep('verified');
    await press('rotation-consumers-done');
    await press('rotation-promote');
    await confirmYes();
    await inStep('promoted');
    await press('rotation-revoke-confirmed');
    if ((await session.findAll('confirm-dialog')).length) await confirmYes();
    await press('rotation-finish');
    await session.waitFor('rotation-complete', 15000);
    await press('rotation-close');
  };

  await step(
    'a guided rotation of a GitHub token: paste, check, promote, confirm the old one revoked',
    async () => {
      await fakeProviders.admin('POST', 'tokens', {
        provider: 'github',
        token: secrets.github,
        owner: 'octo-e2e',
        scopes: ['repo'],
      });
      await fakeProviders.admin('POST', 'tokens', {
        provider: 'github',
        token: secrets.githubNew,
        owner: 'octo-e2e',
        scopes: ['repo'],
      });
      await add('github ci', secrets.github, '90');
      await openRow('github ci');
      await press('rotate-button');
      await press('rotation-method-guided');
      await inStep('started');
      await typeInto(session, 'rotation-new-secret', secrets.githubNew);
      await shot(session, '19-guided-rotation-paste');
      await press('rotation-store');
      await inStep('new_stored');
      await finishGuidedRotation();
      // The vault now holds the new secret under the token's name; the old row is revoked.
      await session.until(
        'the list to show the rotated tokens',
        10000,
        async () => (await rowNames(session)).filter((n) => n === 'github ci').length >= 1,
      );
      assert(!(await fakeToken(secrets.githubNew)).revoked, 'the new GitHub token is untouched');
      await shot(session, '20-guided-rotation-done');
    },
  );

  await step(
    'panic revoke: the Slack token is revoked by API at once, the Stripe one is a to-do the person ticks',
    async () => {
      await fakeProviders.admin('POST', 'tokens', { provider: 'slack', token: secrets.slack });
      await add('slack bot', secrets.slack, '90');
      await press('panic-button');
      await session.waitFor('panic-dialog');
      // Tick two tokens by name (their ids are only in the test ids).
      const ids = await session.execute(
        `const out = {};
       for (const input of document.querySelectorAll('input[type=checkbox][data-testid^="panic-select-"]')) {
         const name = input.closest('label').querySelector('.name').textContent.trim();
         if (name === arguments[0] || name === arguments[1]) {
           input.scrollIntoView({ block: 'center' });
           input.click();
           out[name] = input.dataset.testid.slice('panic-select-'.length);
         }
       }
       return out;`,
        ['slack bot', 'never token'],
      );
      assert(ids['slack bot'] && ids['never token'], `selected: ${JSON.stringify(ids)}`);
      await shot(session, '21-panic-select');
      await press('panic-go');
      await press('panic-confirm');
      await session.waitFor('panic-summary', 15000);
      const slackRow = await session.waitFor(`panic-result-${ids['slack bot']}`);
      assert(/Revoked/.test(await slackRow.text()), `slack: ${await slackRow.text()}`);
      await session.waitFor(`panic-manual-${ids['never token']}`);
      await shot(session, '22-panic-results');
      assert((await fakeToken(secrets.slack)).revoked === true, 'Slack revoked the token');
      await press(`panic-done-${ids['never token']}`);
      await session.waitGone(`panic-manual-${ids['never token']}`, 10000);
      await press('panic-close');
      await session.waitGone('panic-dialog', 5000);
    },
  );

  await step(
    'the app killed in the middle of a rotation resumes it after the next unlock',
    async () => {
      for (const token of [secrets.killedOld, secrets.killedNew]) {
        await fakeProviders.admin('POST', 'tokens', {
          provider: 'github',
          token,
          owner: 'octo-e2e',
          scopes: ['repo'],
        });
      }
      await add('github killed', secrets.killedOld, '90');
      await openRow('github killed');
      await press('rotate-button');
      await press('rotation-method-guided');
      await inStep('started');
      await typeInto(session, 'rotation-new-secret', secrets.killedNew);
      await press('rotation-store');
      await inStep('new_stored');
      // As a power cut or `kill -9` would: no chance to save anything more.
      const pids = pidsOf('tokenwarden');
      assert(pids.length === 1, `one app process expected: ${pids}`);
      process.kill(pids[0], 'SIGKILL');
      for (let i = 0; pidsOf('tokenwarden').includes(pids[0]); i += 1) {
        assert(i < 100, 'the killed app is still running');
        await sleep(100);
      }
      await Promise.race([session.end(), sleep(5000)]);
      session = await Session.start(started.base, app);
      await typeInto(session, 'unlock-password', 'e2e correct horse battery');
      await (await session.find('unlock-submit')).click();
      const banner = await session.waitFor('rotation-banner', 20000);
      assert(/github killed/.test(await banner.text()), `banner: ${await banner.text()}`);
      await shot(session, '23-rotation-resume');
      await press('rotation-resume');
      // It picks up where it stopped: the new secret is stored and waits for its check.
      await inStep('new_stored');
      const githubCalls = async () =>
        (await fakeProviders.admin('GET', 'requests')).filter((r) => r.provider === 'github')
          .length;
      const before = await githubCalls();
      await finishGuidedRotation();
      await session.waitGone('rotation-banner', 10000);
      assert(
        (await githubCalls()) > before,
        'the resumed rotation checked the new token at GitHub',
      );
      assert(!(await fakeToken(secrets.killedNew)).revoked, 'the new GitHub token is untouched');
    },
  );

  await step('no rotation secret is in plaintext in any file the app wrote', async () => {
    const issued = (await fakeProviders.admin('GET', 'tokens')).filter(
      (t) => t.rotated_from === secrets.gitlab,
    );
    const values = [
      secrets.gitlab,
      secrets.github,
      secrets.githubNew,
      secrets.slack,
      secrets.killedOld,
      secrets.killedNew,
      ...issued.map((t) => t.token),
    ];
    const walk = (dir, out = []) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path, out);
        else out.push(path);
      }
      return out;
    };
    for (const file of walk(vault)) {
      const bytes = readFileSync(file);
      for (const value of values)
        assert(!bytes.includes(Buffer.from(value)), `a secret in plaintext in ${file}`);
    }
    const requests = await fakeProviders.admin('GET', 'requests');
    assert(
      requests.length > 0 && requests.every((r) => r.token_in_url === false),
      'a token went into a URL',
    );
  });

  // ---- Reminders in the window when no notification server answers, and what Lock leaves ----
  const cli = process.env.TOKENWARDEN_CLI ?? join(dirname(app), 'tokenwarden-cli');
  const tokenNames = ['soon token', 'later token', 'never token', 'imported bot', 'banner token'];

  await step(
    'with no notification server, a token added inside its reminder thresholds shows no banner at once',
    async () => {
      // A desktop without a notification daemon: stop dunst, and make D-Bus activation of another
      // one fail (it cannot open a display), as on a machine with none installed.
      execFileSync('dbus-update-activation-environment', ['DISPLAY=:99999']);
      // That dunst aborts; the bus starts it with the bus's own limits, so it leaves no core file behind
      // (the Makefile raised the soft core limit for the app's core-limit step).
      for (const pid of pidsOf('dbus-daemon'))
        execFileSync('prlimit', ['--pid', String(pid), '--core=0:']);
      execFileSync('pkill', ['-x', 'dunst']);
      await session.until('the notification server to leave the bus', 5000, async () => {
        const out = execFileSync('dbus-send', [
          '--session',
          '--dest=org.freedesktop.DBus',
          '--print-reply',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.Notifications',
        ]).toString();
        return /boolean false/.test(out);
      });
      // 7 days left: the 30- and 7-day thresholds have passed already; neither may fire now.
      await add('banner token', 'glpat-e2eBanne0123456789ab', '7');
      // The reminders loop has looked at the new token once the tray menu lists it.
      await session.until('the tray menu to list the new token', 10000, async () =>
        trayMenu().some((item) => /^banner token — in 7 days$/.test(item.label ?? '')),
      );
      assert(
        (await session.findAll('reminders-banner')).length === 0,
        'a banner appeared for the token just added',
      );
    },
  );

  await step(
    'a reminder that falls due shows in the banner, and Lock takes every token name off the screen',
    async () => {
      // The CLI moves the expiry to a few seconds from now: the earlier thresholds passed before the
      // change and stay silent; the at-expiry one is the first reminder.
      const passwordFile = join(dirname(vault), 'password');
      writeFileSync(passwordFile, 'e2e correct horse battery\n', { mode: 0o600 });
      const expiresAt = new Date(Date.now() + 15_000);
      execFileSync(
        cli,
        [
          '--vault',
          vault,
          '--password-file',
          passwordFile,
          '--no-keyring',
          'edit',
          'banner token',
          '--expires',
          expiresAt.toISOString().replace(/\.\d+Z$/, 'Z'),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      assert(Date.now() < expiresAt.getTime(), 'the CLI took longer than the lead time');
      const banner = await session.waitFor('reminders-banner', 45000);
      const items = await session.findAll('reminder');
      assert(
        items.length === 1,
        `one reminder expected, the banner has ${items.length}: ${await banner.text()}`,
      );
      const text = await items[0].text();
      assert(/GitLab · banner token has expired/.test(text), `banner: ${text}`);
      await shot(session, '24-reminder-banner');
      await (await session.find('lock')).click();
      await afterLock(session);
      assert(
        (await session.findAll('reminders-banner')).length === 0,
        'the banner outlived the lock',
      );
      const page = await session.execute('return document.documentElement.outerHTML;');
      for (const name of [...tokenNames, 'GitLab'])
        assert(!page.includes(name), `the lock screen holds "${name}"`);
      await shot(session, '25-locked-no-banner');
    },
  );

  await step(
    'after Lock no process of the app holds the secret or the password, in UTF-8 or UTF-16',
    async () => {
      // A secret no earlier step has seen: typed into the form, revealed, copied, then the vault locked.
      const secret = githubToken('ghp_', `e2eMem${randomBytes(12).toString('hex')}`);
      const password = 'e2e correct horse battery';
      await typeInto(session, 'unlock-password', password);
      await (await session.find('unlock-submit')).click();
      await (await session.waitFor('nav-all', 20000)).click();
      await session.waitFor('token-row', 20000);
      await add('memory token', secret, 'none');
      await openRow('memory token');
      await (await session.find('reveal-button')).click();
      await session.until('secret revealed', 5000, async () =>
        (await (await session.find('secret-value')).text()).includes(secret),
      );
      await (await session.find('copy-button')).click();
      await session.until('clipboard holds the secret', 5000, async () => clipboard() === secret);
      await (await session.find('lock')).click();
      await afterLock(session);
      // Lock clears the clipboard too (the timeout set above is 300 s).
      await session.until(
        'clipboard cleared by the lock',
        12000,
        async () => clipboard() !== secret,
      );
      const [pid] = pidsOf('tokenwarden');
      assert(pid, 'no app process');
      const scanned = tree(pid).filter((p) => p.pid === pid || p.comm.startsWith('WebKit'));
      assert(
        scanned.some((p) => p.comm.startsWith('WebKitWebProces')),
        `no web process to scan: ${JSON.stringify(scanned)}`,
      );
      // The needles go in on stdin, and memscan.py prints only counts.
      const out = execFileSync(
        'python3',
        [resolve('tests/e2e/memscan.py'), ...scanned.map((p) => String(p.pid))],
        {
          // The tails too: a freed buffer whose first bytes the allocator reused still holds the rest.
          input: `secret\t${secret}\npassword\t${password}\nsecret-tail\t${secret.slice(-14)}\npassword-tail\t${password.slice(-12)}\n`,
        },
      ).toString();
      const result = JSON.parse(out);
      const copies = [];
      for (const [scannedPid, r] of Object.entries(result)) {
        assert(
          !r.error && r.readable > 0,
          `could not read the memory of ${scannedPid}: ${JSON.stringify(r)}`,
        );
        for (const [label, n] of Object.entries(r.counts)) {
          if (n.utf8 || n.utf16)
            copies.push(`${r.comm} (${scannedPid}): ${label} ${n.utf8}x UTF-8, ${n.utf16}x UTF-16`);
        }
      }
      console.log(
        `# memory after Lock: ${JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, r]) => [`${r.comm}/${k}`, r.counts])))}`,
      );
      assert(copies.length === 0, `copies left after Lock: ${copies.join('; ')}`);
    },
  );

  await step('the vault locks when the screen locks (a setting, on by default)', async () => {
    const password = 'e2e correct horse battery';
    await typeInto(session, 'unlock-password', password);
    await (await session.find('unlock-submit')).click();
    await session.waitFor('dashboard', 20000);
    // What the desktop's screensaver says on the session bus when the screen locks.
    execFileSync('dbus-send', [
      '--session',
      '--type=signal',
      '/org/freedesktop/ScreenSaver',
      'org.freedesktop.ScreenSaver.ActiveChanged',
      'boolean:true',
    ]);
    await afterLock(session);
    // Open again: the tray's Lock locks it next.
    await typeInto(session, 'unlock-password', password);
    await (await session.find('unlock-submit')).click();
    await session.waitFor('dashboard', 20000);
  });

  if (tray) {
    // "Lock when the window closes" (on by default): off, closing the window leaves the window
    // process in the background with the vault open, and the tray's Open shows it unlocked.
    const setLockOnClose = async (on) => {
      await (await session.waitFor('settings-button')).click();
      const box = await session.waitFor('setting-lock-on-close');
      if ((await box.prop('checked')) !== on) await box.click();
      await (await session.find('settings-save')).click();
      await session.waitFor('settings-status', 5000);
    };
    await step(
      'with "Lock when the window closes" off, the closed window comes back from the tray unlocked',
      async () => {
        await setLockOnClose(false);
        const windowPid = pidsOf('tokenwarden');
        execFileSync('python3', [resolve('tests/e2e/close-window.py'), 'Tokenwarden']);
        await session.until('the window to close', 15000, async () =>
          (await session.cmd('GET', '/window/handles').catch(() => [])).length === 0 ? true : null,
        );
        assert(
          JSON.stringify(pidsOf('tokenwarden')) === JSON.stringify(windowPid),
          `the window process ended: ${pidsOf('tokenwarden')} (was ${windowPid})`,
        );
        assert(
          trayMenu().some((item) => item.label === 'Lock' && item.enabled),
          'the tray shows the vault locked',
        );
        clickTray('Open Tokenwarden');
        await session.until('the window back, unlocked', 15000, async () => {
          const handles = await session.cmd('GET', '/window/handles').catch(() => []);
          if (handles.length === 0) return null;
          await session
            .cmd('POST', '/window', { handle: handles[handles.length - 1] })
            .catch(() => {});
          return (await session.findAll('nav-all').catch(() => [])).length > 0 ? true : null;
        });
        assert(
          (await session.findAll('unlock-password')).length === 0,
          'the window came back on the lock screen',
        );
        await setLockOnClose(true);
      },
    );

    await step('Lock in the tray menu locks the unlocked window', async () => {
      // The tray is its own process: its menu's Lock reaches the window over their channel.
      await session.until('the tray to show the vault unlocked', 10000, async () =>
        trayMenu().some((item) => item.label === 'Lock' && item.enabled),
      );
      clickTray('Lock');
      await afterLock(session);
      await session.until('the tray to show the vault locked', 10000, async () =>
        trayMenu().some((item) => item.label === 'Lock' && !item.enabled),
      );
      await shot(session, '11b-locked-from-the-tray');
    });
  }

  // Closing the window ends the window process (and the vault with it); the tray process stays.
  const closeWindowAndWait = async (what) => {
    const webkit = webkitProcesses(appPid).map((p) => p.pid);
    assert(webProcesses(appPid).length > 0, `${what} has a WebKit web process`);
    // As the window's close button does (WebDriver's Close Window would end the session and the app).
    execFileSync('python3', [resolve('tests/e2e/close-window.py'), 'Tokenwarden']);
    await session.until(
      'the window process to end',
      15000,
      async () => !pidsOf('tokenwarden').includes(appPid),
    );
    await session.until('its WebKit processes to end', 15000, async () =>
      webkit.every((pid) => !processes().has(pid)),
    );
    const left = webkitAnywhere();
    assert(left.length === 0, `WebKit processes left: ${JSON.stringify(left)}`);
    assert(pidsOf('tokenwarden-tra').includes(trayPid), 'the tray process ended with the window');
  };

  await step(
    'closing the window ends the window process, no WebKit process is left, and the tray process stays',
    async () => {
      const pids = pidsOf('tokenwarden');
      assert(pids.length === 1, `one window process expected: ${pids}`);
      appPid = pids[0];
      const trays = pidsOf('tokenwarden-tra');
      assert(trays.length === 1, `one tray process expected: ${trays}`);
      trayPid = trays[0];
      await closeWindowAndWait('the open window');
      if (tray) {
        await session.until('the tray to show the vault locked', 10000, async () =>
          trayMenu().some((item) => item.label === 'Lock' && !item.enabled),
        );
      }
      await shot(session, '12-closed-to-tray');
    },
  );

  if (tray) {
    // "Open Tokenwarden" with no window: the tray starts a new window process.
    const openFromTray = async () => {
      const before = appPid;
      clickTray('Open Tokenwarden');
      appPid = await session.until('a new window process', 20000, async () =>
        pidsOf('tokenwarden').find((pid) => pid !== before),
      );
      await session.until('its window to appear', 20000, async () =>
        execFileSync('xdotool', ['search', '--onlyvisible', '--name', '^Tokenwarden$'])
          .toString()
          .trim(),
      );
      await session.until('its page to load', 20000, async () => webProcesses(appPid).length > 0);
    };

    await step(
      '"Open Tokenwarden" in the tray menu starts a new window process and its window appears',
      async () => {
        await openFromTray();
        await shot(session, '13-reopened-from-tray');
      },
    );

    await step('closing that window ends its process and leaves no WebKit process', async () => {
      await closeWindowAndWait('the window the tray opened');
    });

    await step(
      'Quit in the tray menu ends both the window process and the tray process',
      async () => {
        await openFromTray();
        const window = appPid;
        clickTray('Quit');
        await session.until('both processes to end', 20000, async () =>
          [window, trayPid].every((pid) => !processes().has(pid)),
        );
        // WebKit's helpers end a moment after the process they served, when its socket closes.
        await session
          .until('the WebKit processes to end', 15000, async () => webkitAnywhere().length === 0)
          .catch(() => {});
        const left = webkitAnywhere();
        assert(left.length === 0, `WebKit processes left: ${JSON.stringify(left)}`);
      },
    );
  }
} catch (error) {
  // A failing step printed itself; anything else threw between steps and is a failure too.
  if (!error?.fromStep && !error?.untilReached) {
    failed += 1;
    console.log(
      `not ok - between steps\n  ${String(error?.stack || error).replace(/\n/g, '\n  ')}`,
    );
  }
} finally {
  if (session) {
    await shot(session, '99-last').catch(() => {});
    await session.end();
  }
  driver?.kill();
  fakeProviders.child.kill();
  // A window the tray started, and the tray, outlive the WebDriver session.
  for (const pid of [appPid, trayPid])
    if (pid && processes().has(pid)) process.kill(pid, 'SIGTERM');
}
if (failed === 0 && passed !== planned) {
  failed += 1;
  console.log(`not ok - every step ran\n  ${passed} of the ${planned} steps in this file ran`);
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === planned ? 0 : 1);
