/// <reference types="node" />
// d3-scale loads under a frozen Object.prototype (Tauri's freezePrototype) only with the build's
// patch: a child node process freezes it, then imports d3-scale from a copy of its packages.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchForFrozenPrototype } from './frozenPrototype';

const PACKAGES = [
  'd3-array',
  'd3-color',
  'd3-format',
  'd3-interpolate',
  'd3-scale',
  'd3-time',
  'd3-time-format',
  'internmap',
];

function copyPackages(patched: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'tw-frozen-'));
  for (const name of PACKAGES) {
    cpSync(resolve('node_modules', name), join(root, 'node_modules', name), { recursive: true });
  }
  if (patched) {
    for (const file of ['d3-color/dist/d3-color.mjs', 'd3-format/dist/d3-format.mjs']) {
      const path = join(root, 'node_modules', file);
      const code = patchForFrozenPrototype(readFileSync(path, 'utf8'), path);
      if (code === null) throw new Error(`no patch for ${file}`);
      writeFileSync(path, code);
    }
  }
  writeFileSync(
    join(root, 'check.mjs'),
    `Object.freeze(Object.prototype);
try {
  const { scaleLinear, scaleTime } = await import('d3-scale');
  const x = scaleTime().domain([new Date(0), new Date(1000)]).range([0, 10]);
  console.log(JSON.stringify({ ok: true, mid: x(new Date(500)), y: scaleLinear().domain([0, 4]).range([0, 8])(1), fmt: scaleLinear().tickFormat()(0.5) }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error) }));
}`,
  );
  return root;
}

function load(root: string): {
  ok: boolean;
  error?: string;
  mid?: number;
  y?: number;
  fmt?: string;
} {
  return JSON.parse(execFileSync(process.execPath, [join(root, 'check.mjs')]).toString()) as {
    ok: boolean;
  };
}

describe('d3 under a frozen Object.prototype', () => {
  it('fails to load unpatched, as it did in the real window', () => {
    const result = load(copyPackages(false));
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/read only property/);
  });

  it('loads and scales with the patch', () => {
    expect(load(copyPackages(true))).toEqual({ ok: true, mid: 5, y: 2, fmt: '0.5' });
  });

  it('leaves other modules alone and says when a patched file changed', () => {
    expect(patchForFrozenPrototype('x', '/a/node_modules/d3-scale/dist/d3-scale.mjs')).toBeNull();
    expect(() =>
      patchForFrozenPrototype('changed', '/a/node_modules/d3-color/dist/d3-color.mjs'),
    ).toThrow(/re-check/);
  });
});
