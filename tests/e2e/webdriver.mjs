// A small W3C WebDriver client over fetch, enough to drive the real app through tauri-driver
// (which forwards to WebKitWebDriver). No dependencies: Node 20's fetch does the HTTP.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, application, env = {}) {
    const body = {
      capabilities: {
        alwaysMatch: { browserName: 'wry', 'tauri:options': { application, env } },
      },
    };
    const value = await request(base, 'POST', '/session', body);
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async end() {
    await this.cmd('DELETE', '').catch(() => {});
  }

  async find(testid) {
    const value = await this.cmd('POST', '/element', {
      using: 'css selector',
      value: `[data-testid="${testid}"]`,
    });
    return new Element(this, value[ELEMENT]);
  }

  async findAll(testid) {
    const values = await this.cmd('POST', '/elements', {
      using: 'css selector',
      value: `[data-testid="${testid}"]`,
    });
    return values.map((v) => new Element(this, v[ELEMENT]));
  }

  /** Waits until `testid` is present (and visible), then returns it. */
  async waitFor(testid, timeoutMs = 10000) {
    return this.until(`${testid} to appear`, timeoutMs, async () => {
      const found = await this.findAll(testid);
      for (const el of found) if (await el.displayed()) return el;
      return null;
    });
  }

  async waitGone(testid, timeoutMs = 10000) {
    return this.until(`${testid} to go away`, timeoutMs, async () => {
      const found = await this.findAll(testid);
      for (const el of found) if (await el.displayed()) return null;
      return true;
    });
  }

  /** Polls `check` until it returns something truthy. */
  async until(what, timeoutMs, check) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const value = await check();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        throw new WebDriverError(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
      }
      await sleep(100);
    }
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Runs a script that calls its last argument when done; returns what it passed. */
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  async keys(text) {
    const actions = [...text].flatMap((c) => [
      { type: 'keyDown', value: c },
      { type: 'keyUp', value: c },
    ]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'kb', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  /** Presses a key with Control held, e.g. chord('n'). */
  async chord(key) {
    const CTRL = '\uE009';
    await this.cmd('POST', '/actions', {
      actions: [
        {
          type: 'key',
          id: 'kb',
          actions: [
            { type: 'keyDown', value: CTRL },
            { type: 'keyDown', value: key },
            { type: 'keyUp', value: key },
            { type: 'keyUp', value: CTRL },
          ],
        },
      ],
    });
    await this.cmd('DELETE', '/actions');
  }

  screenshot() {
    return this.cmd('GET', '/screenshot');
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.session.cmd(method, `/element/${this.id}${path}`, body);
  }

  /** The reference to pass this element as a script argument. */
  ref() {
    return { [ELEMENT]: this.id };
  }

  click() {
    return this.cmd('POST', '/click', {});
  }

  /** Empties an input the way typing would (WebKitWebDriver's own Clear command can hang). */
  clear() {
    return this.session.execute(
      'arguments[0].value = ""; arguments[0].dispatchEvent(new Event("input", { bubbles: true }));',
      [this.ref()],
    );
  }

  type(text) {
    return this.cmd('POST', '/value', { text });
  }

  /** The element's text content (WebKitWebDriver's Get Element Text returns "" inside some layouts). */
  text() {
    return this.session.execute('return arguments[0].textContent.replace(/\\s+/g, " ").trim();', [
      this.ref(),
    ]);
  }

  attr(name) {
    return this.cmd('GET', `/attribute/${name}`);
  }

  prop(name) {
    return this.cmd('GET', `/property/${name}`);
  }

  displayed() {
    return this.cmd('GET', '/displayed');
  }

  async find(testid) {
    const value = await this.cmd('POST', '/element', {
      using: 'css selector',
      value: `[data-testid="${testid}"]`,
    });
    return new Element(this.session, value[ELEMENT]);
  }
}

async function request(base, method, path, body) {
  if (process.env.E2E_TRACE)
    console.log(`> ${method} ${path} ${JSON.stringify(body ?? '').slice(0, 120)}`);
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    // A hung command fails the step instead of the whole run.
    signal: AbortSignal.timeout(30000),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok || (payload.value && payload.value.error)) {
    const v = payload.value || {};
    throw new WebDriverError(
      `${method} ${path}: ${v.error || response.status} ${v.message || ''}`.trim(),
    );
  }
  return payload.value;
}

/** Starts tauri-driver on a free-ish port with `env` and waits until it answers. Its
 *  WebKitWebDriver gets the next port rather than tauri-driver's fixed default (4445): one left
 *  over from an earlier driver would otherwise answer in its place, with that driver's env.
 *  A driver that does not answer in 20 s is ended and another started on other ports, three tries
 *  in all: once in a few dozen starts (a `make bench` run, back to back with another) tauri-driver
 *  came up but its WebKitWebDriver never answered, and the run died a minute later. */
export async function startDriver(bin, env) {
  for (let attempt = 1; ; attempt += 1) {
    const started = await startDriverOnce(bin, env);
    if (started.base) return started;
    if (attempt === 3) throw new Error(`tauri-driver did not start, three times (${started.why})`);
    process.stderr.write(`tauri-driver did not answer (${started.why}); starting another\n`);
  }
}

async function startDriverOnce(bin, env) {
  const { spawn } = await import('node:child_process');
  const port = 4444 + 2 * Math.floor(Math.random() * 1000);
  const driver = spawn(bin, ['--port', String(port), '--native-port', String(port + 1)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  // The app's stderr comes through the driver: passed on as before, and kept for steps that look
  // for what the app logged (a refused navigation, say).
  let stderr = '';
  driver.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const base = `http://127.0.0.1:${port}`;
  // Twenty seconds: it answers within one on this machine, a few with a build alongside.
  for (let i = 0; ; i += 1) {
    try {
      await fetch(`${base}/status`);
      return { base, driver, stderr: () => stderr };
    } catch {
      if (i > 200 || driver.exitCode !== null) {
        const why =
          driver.exitCode !== null ? `exit code ${driver.exitCode}` : `no answer on port ${port}`;
        await endDriver(driver);
        return { why };
      }
      await sleep(100);
    }
  }
}

/** Ends a driver that never answered, and the WebKitWebDriver it started (found before it ends). */
async function endDriver(driver) {
  const { execFileSync } = await import('node:child_process');
  let children = [];
  try {
    children = execFileSync('pgrep', ['-P', String(driver.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // None.
  }
  for (const pid of [driver.pid, ...children]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  if (driver.exitCode === null && driver.signalCode === null) {
    await new Promise((resolve) => driver.once('exit', resolve));
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
