#!/usr/bin/env node
// `npm test` after setup: lint and format check, type check, then every test file under test/
// (unit, integration, CLI, notebook and browser tests) with node's test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jupyterPath, root } from './setup.mjs';

function step(title, command, args, env = {}) {
  console.log(`\n[test] ${title}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`[test] error: ${title} failed (status ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'output' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const only = process.argv.slice(2);
if (only.length === 0) {
  step('lint (eslint)', process.execPath, [bin('eslint', 'bin/eslint.js'), '.']);
  step('format (prettier --check)', process.execPath, [
    bin('prettier', 'bin/prettier.cjs'),
    '--check',
    '.',
  ]);
  step('type check', process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'test']);
}
const files = only.length > 0 ? only : findTests(join(root, 'test')).sort();
step(
  `tests (${files.length} files)`,
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  {
    JUPYTER_PATH: jupyterPath,
  },
);
