// End to end, in the real app window: the built binary under Xvfb, driven by tauri-driver +
// WebKitWebDriver, with a fresh vault dir, a real D-Bus session and gnome-keyring (run inside
// tests/harness/with-services.sh). Screenshots of each main screen go to tests/artifacts/screenshots.
//   node tests/e2e/app.e2e.mjs path/to/tokenwarden
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, sleep, startDriver } from './webdriver.mjs';
import { clickTray, pidsOf, trayMenu, webkitProcesses } from './desktop.mjs';

const app = resolve(process.argv[2] ?? 'target/debug/tokenwarden');
const driverBin = process.env.TAURI_DRIVER ?? 'tauri-driver';
const shots = resolve('tests/artifacts/screenshots');
mkdirSync(shots, { recursive: true });
const vault = join(mkdtempSync(join(tmpdir(), 'tokenwarden-e2e-')), 'vault');

let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(error.stack || error).replace(/\n/g, '\n  ')}`);
    throw error;
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

function clipboard() {
  try {
    return execFileSync('xclip', ['-selection', 'clipboard', '-o'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return null;
  }
}

async function typeInto(session, testid, text) {
  const el = await session.waitFor(testid);
  await el.clear();
  await el.type(text);
  return el;
}

async function rowNames(session) {
  const names = [];
  for (const row of await session.findAll('token-row')) names.push(await (await row.find('token-name')).text());
  return names;
}

let driver;
let session;
let appPid;

// The web content process of a window (its comm is cut to 15 characters). Tauri keeps the shared
// WebKitNetworkProcess for the app's lifetime on Linux (tauri-apps/tauri#14626), so only this one
// goes away with the window.
const webProcesses = (pid) => webkitProcesses(pid).filter((p) => p.comm.startsWith('WebKitWebProces'));
const secrets = {
  soon: 'ghp_e2eSoon0123456789abcdefghijklmnopqrSOON',
  later: 'glpat-e2eLater0123456789ab',
  never: 'sk_test_e2eNever0123456789abcdefgh',
  imported: 'hf_e2eImported0123456789abcdefghijkl',
};

try {
  const started = await startDriver(driverBin, {
    TOKENWARDEN_VAULT: vault,
    TOKENWARDEN_KDF: 'fast',
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
  });
  driver = started.driver;
  session = await Session.start(started.base, app);

  await step('first run offers to create a vault', async () => {
    await session.waitFor('setup-password');
    await shot(session, '01-first-run');
  });

  await step('creating a vault opens the empty inventory', async () => {
    await typeInto(session, 'setup-password', 'e2e correct horse battery');
    await typeInto(session, 'setup-password-confirm', 'e2e correct horse battery');
    await (await session.find('setup-submit')).click();
    await session.waitFor('empty-state', 20000);
    await shot(session, '02-empty-inventory');
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
    await (await session.find('form-submit')).click();
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
        JSON.stringify(['soon token', 'later token', '<img src=x onerror=alert(1)>', 'never token']),
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
    const masked = await (await session.find('secret-value')).text();
    assert(!masked.includes(secrets.soon), 'secret shown before reveal');
    await shot(session, '05-detail');
  });

  await step('reveal shows the secret and hides it again', async () => {
    await (await session.find('reveal-button')).click();
    await session.until('secret revealed', 5000, async () => (await (await session.find('secret-value')).text()).includes(secrets.soon));
    await shot(session, '06-revealed');
    await session.until('secret hidden again', 20000, async () => !(await (await session.find('secret-value')).text()).includes(secrets.soon));
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

  await step('copy puts the secret on the clipboard and it is cleared after the timeout', async () => {
    const rows = await session.findAll('token-row');
    if (rows.length === 0) await (await session.waitFor('nav-all')).click();
    const row = (await session.waitFor('token-row'));
    await row.click();
    await (await session.waitFor('copy-button')).click();
    const status = await session.waitFor('copy-status');
    assert(/clears in 5 s/.test(await status.text()), `copy status: ${await status.text()}`);
    await session.until('clipboard holds the secret', 5000, async () => clipboard() === secrets.soon);
    await session.until('clipboard cleared', 12000, async () => clipboard() !== secrets.soon);
  });

  await step('lock, then unlock with the password, and the tokens are there', async () => {
    await (await session.find('lock')).click();
    await session.waitFor('unlock-password');
    const rows = await session.findAll('token-row');
    assert(rows.length === 0, 'rows still in the page after locking');
    await shot(session, '08-locked');
    await typeInto(session, 'unlock-password', 'not the password');
    await (await session.find('unlock-submit')).click();
    const error = await session.waitFor('unlock-error');
    assert(/wrong/i.test(await error.text()), `unlock error: ${await error.text()}`);
    await typeInto(session, 'unlock-password', 'e2e correct horse battery');
    await (await session.find('unlock-submit')).click();
    await session.until('four rows', 20000, async () => (await rowNames(session)).length === 4);
    await shot(session, '09-unlocked');
  });

  const exchange = mkdtempSync(join(tmpdir(), 'tokenwarden-e2e-files-'));

  await step('an import previews a CSV, skips the duplicate and adds the new token', async () => {
    const csv = join(exchange, 'tokens.csv');
    writeFileSync(
      csv,
      `name,token,expires\nimported bot,${secrets.imported},2027-06-01\nsoon again,${secrets.soon},\n`,
    );
    await (await session.find('import-button')).click();
    await typeInto(session, 'import-path', csv);
    await (await session.find('import-preview-button')).click();
    const summary = await session.waitFor('import-summary', 10000);
    const text = await summary.text();
    assert(/1 to create/.test(text) && /1 duplicate/.test(text), `summary: ${text}`);
    assert((await session.findAll('import-row')).length === 2, 'two preview rows');
    await shot(session, '10-import-preview');
    await (await session.find('import-apply')).click();
    await session.waitFor('import-result', 10000);
    await (await session.find('import-close')).click();
    await session.until('five rows', 10000, async () => (await rowNames(session)).includes('imported bot'));
    assert((await rowNames(session)).length === 5, 'the duplicate was not imported');
  });

  await step('an encrypted backup export writes a 0600 file with no secret in the clear', async () => {
    const backup = join(exchange, 'inventory.age');
    await (await session.find('export-button')).click();
    await typeInto(session, 'export-path', backup);
    await typeInto(session, 'export-passphrase', 'e2e backup passphrase');
    await typeInto(session, 'export-passphrase-confirm', 'e2e backup passphrase');
    await (await session.find('export-submit')).click();
    const result = await session.waitFor('export-result', 20000);
    assert(/Exported 5 tokens/.test(await result.text()), `export: ${await result.text()}`);
    await shot(session, '11-export-done');
    await (await session.find('export-close')).click();
    const bytes = readFileSync(backup);
    assert(bytes.subarray(0, 21).toString() === 'age-encryption.org/v1', 'not an age file');
    assert((statSync(backup).mode & 0o777) === 0o600, `mode ${(statSync(backup).mode & 0o777).toString(8)}`);
    for (const secret of Object.values(secrets)) {
      assert(!bytes.includes(Buffer.from(secret)), `${secret} in plaintext in the backup`);
    }
  });

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
    for (const dir of [process.env.XDG_DATA_HOME, process.env.XDG_CONFIG_HOME, process.env.XDG_CACHE_HOME]) {
      if (dir) walk(dir);
    }
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of Object.values(secrets)) {
        assert(!bytes.includes(Buffer.from(secret)), `${secret} in plaintext in ${file}`);
      }
    }
  });

  await step('IPC passes through the isolation frame, which lets only the app commands through', async () => {
    const frames = await session.execute('return [...document.querySelectorAll("iframe")].map((f) => f.src)');
    assert(frames.some((src) => src.startsWith('isolation-')), `no isolation frame: ${frames}`);
    const answer = (cmd) =>
      session.executeAsync(
        `const done = arguments[arguments.length - 1];
         setTimeout(() => done('no answer'), 2000);
         window.__TAURI_INTERNALS__.invoke(arguments[0], {}).then(() => done('answered'), (e) => done('refused by Rust: ' + e));`,
        [cmd],
      );
    assert((await answer('vault_status')) === 'answered', 'an app command did not get through');
    // Without the isolation hook Rust would refuse this at once ("plugin not found"); the hook
    // stops it before it is sent, so no answer comes at all.
    const blocked = await answer('plugin:opener|open_url');
    assert(blocked === 'no answer', `a foreign command reached Rust: ${blocked}`);
  });

  await step('a second launch hands over to the first window and exits', async () => {
    const second = spawn(app, [], { env: { ...process.env, TOKENWARDEN_VAULT: vault }, stdio: 'ignore' });
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('still running'), 10000);
      second.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code === 'still running') second.kill();
    assert(code === 0, `second instance: ${code}`);
    assert((await rowNames(session)).length === 5, 'the first window is still there and unlocked');
  });

  // The tray needs the harness's status-notifier-watcher (Makefile TEST_PACKAGES).
  const tray = Boolean(process.env.TOKENWARDEN_TEST_TRAY);
  if (!tray) console.log('# skipped the tray menu steps: no status-notifier-watcher in this session');

  if (tray) {
    await step('the tray menu lists the soonest expiries with countdowns, then Open, Lock and Quit', async () => {
      const day = 86_400_000;
      // Soonest first; the imported token's fixed date reads differently as the months pass.
      const expected = [
        { at: Date.now() + 7 * day, label: /^soon token — in 7 days$/ },
        { at: Date.now() + 90 * day, label: /^later token — in 3 months$/ },
        { at: Date.now() + 365 * day, label: /^<img src=x onerror=alert\(1\)> — in 12 months$/ },
        { at: Date.parse('2027-06-01T00:00:00Z'), label: /^imported bot — (in|expired) \d+ \w+( ago)?$/ },
      ].sort((a, b) => a.at - b.at);
      const labels = await session.until('the tray menu to list the tokens', 10000, async () => {
        const items = trayMenu().map((i) => (i.separator ? '---' : i.label));
        return items.length === 8 && expected[0].label.test(items[0]) ? items : null;
      });
      expected.forEach(({ label }, i) => assert(label.test(labels[i]), `tray item ${i}: ${JSON.stringify(labels)}`));
      assert(
        JSON.stringify(labels.slice(4)) === JSON.stringify(['---', 'Open Tokenwarden', 'Lock', 'Quit']),
        `tray menu: ${JSON.stringify(labels)}`,
      );
    });
  }

  await step('closing the window leaves the app running in the tray with no WebKit web process', async () => {
    const pids = pidsOf('tokenwarden');
    assert(pids.length === 1, `one app process expected: ${pids}`);
    appPid = pids[0];
    assert(webProcesses(appPid).length > 0, 'the open window has a WebKit web process');
    // As the window's close button does (WebDriver's Close Window would end the session and the app).
    execFileSync('python3', [resolve('tests/e2e/close-window.py'), 'Tokenwarden']);
    await session.until('the WebKit web process to end', 10000, async () => webProcesses(appPid).length === 0);
    await sleep(1000);
    assert(pidsOf('tokenwarden').includes(appPid), 'the app exited when its window closed');
    assert(webProcesses(appPid).length === 0, `a web process came back: ${JSON.stringify(webkitProcesses(appPid))}`);
    await shot(session, '12-closed-to-tray');
  });

  if (tray) {
    await step('"Open Tokenwarden" in the tray menu creates the window again', async () => {
      clickTray('Open Tokenwarden');
      await session.until('a WebKit web process for the new window', 10000, async () => webProcesses(appPid).length > 0);
      await sleep(1500);
      await shot(session, '13-reopened-from-tray');
    });
  }
} catch {
  // The failing step printed itself; fall through to clean-up and the summary.
} finally {
  if (session) {
    await shot(session, '99-last').catch(() => {});
    await session.end();
  }
  driver?.kill();
  // Closed to the tray, the app outlives the WebDriver session.
  if (appPid && pidsOf('tokenwarden').includes(appPid)) process.kill(appPid, 'SIGTERM');
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
