// Regenerates the app's package list from @jupyterlab/core-meta's core.package.json:
// lab/package.json dependencies (the standard app's extensions plus jupyterlab-tsfx) and the
// root package.json "overrides" (core.package.json's yarn "resolutions", with JupyterLab's own
// packages pinned to the exact release so the app is exactly that JupyterLab version).
// Usage: node lab/sync-core.mjs [path/to/core.package.json]   (then: npm install)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const labDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(labDir, '..');
const require = createRequire(join(root, 'package.json'));
const corePath = process.argv[2] ?? require.resolve('@jupyterlab/core-meta/core.package.json');
const core = JSON.parse(readFileSync(corePath, 'utf8'));

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const writeJson = (p, v) => writeFileSync(p, JSON.stringify(v, null, 2) + '\n');

const labPkgPath = join(labDir, 'package.json');
const labPkg = readJson(labPkgPath);
labPkg.dependencies = sorted({
  ...core.dependencies,
  'jupyterlab-tsfx': labPkg.dependencies['jupyterlab-tsfx'],
});
labPkg.devDependencies['@jupyterlab/core-meta'] = core.version;
labPkg.tsfxLab.coreMeta = core.version;
writeJson(labPkgPath, labPkg);

/**
 * Third-party versions pinned to those of the JupyterLab release's own yarn.lock where newer
 * releases inside core.package.json's ranges break the app: @microsoft/fast-element 1.14 /
 * fast-foundation 2.50 send @jupyter/web-components' design tokens into endless recursion
 * ("RangeError: Maximum call stack size exceeded" at start-up); yjs 13.6 with @jupyter/ydoc 4.2
 * logs "Invalid access: Add Yjs type to a document before reading data" and "Not same Y.Doc".
 */
export const KNOWN_GOOD = {
  '@jupyter/react-components': '0.16.6',
  '@jupyter/ydoc': '4.0.0',
  yjs: '13.5.49',
  '@jupyter/web-components': '0.16.6',
  '@microsoft/fast-element': '1.12.0',
  '@microsoft/fast-foundation': '2.49.4',
};

export function overridesFrom(coreData) {
  const out = { ...KNOWN_GOOD };
  for (const [name, range] of Object.entries(coreData.resolutions)) {
    if (name in KNOWN_GOOD) continue;
    out[name] = name.startsWith('@jupyterlab/') ? range.replace(/^[~^]/, '') : range;
  }
  return sorted(out);
}

const rootPkgPath = join(root, 'package.json');
const rootPkg = readJson(rootPkgPath);
rootPkg.overrides = { ...(rootPkg.overrides ?? {}), ...overridesFrom(core) };
writeJson(rootPkgPath, rootPkg);
const extPkgPath = join(root, 'extension', 'package.json');
const extPkg = readJson(extPkgPath);
extPkg.devDependencies['@jupyterlab/core-meta'] = core.version;
writeJson(extPkgPath, extPkg);
console.log(`synced lab/package.json and root overrides with JupyterLab ${core.version}`);
