// The app runs with Tauri's `freezePrototype` (Object.prototype frozen), under which an assignment
// to a property that Object.prototype already has (`constructor`, `toString`) throws. d3-color and
// d3-format, which d3-scale imports, make two such assignments while they load. This build-time
// patch (vite.config.ts applies it) gives those objects their own property first, so the same
// assignments succeed; the libraries' behaviour is unchanged. A test loads d3-scale patched and
// unpatched under a frozen Object.prototype.

interface Patch {
  /** The end of the module's resolved path. */
  file: string;
  find: string;
  replace: string;
}

const PATCHES: readonly Patch[] = [
  {
    file: 'd3-color/dist/d3-color.mjs',
    find: '  prototype.constructor = constructor;',
    replace:
      "  Object.defineProperty(prototype, 'constructor', { value: constructor, writable: true, configurable: true });",
  },
  {
    file: 'd3-format/dist/d3-format.mjs',
    find: 'FormatSpecifier.prototype.toString = function() {',
    replace:
      "Object.defineProperty(FormatSpecifier.prototype, 'toString', { value: undefined, writable: true, configurable: true });\nFormatSpecifier.prototype.toString = function() {",
  },
];

/** The module's code, patched when it is one of the files above; null when it is none of them. */
export function patchForFrozenPrototype(code: string, id: string): string | null {
  const path = id.split('?')[0]?.replaceAll('\\', '/') ?? '';
  const patch = PATCHES.find((p) => path.endsWith(`/node_modules/${p.file}`));
  if (!patch) return null;
  if (!code.includes(patch.find)) {
    throw new Error(`${patch.file} changed: re-check its patch for the frozen Object.prototype`);
  }
  return code.replace(patch.find, patch.replace);
}

/** The packages whose files are patched (kept out of Vite's dependency pre-bundling). */
export const PATCHED_PACKAGES = ['d3-color', 'd3-format'];
