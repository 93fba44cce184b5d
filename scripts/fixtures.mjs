#!/usr/bin/env node
// `npm run fixtures`: regenerates every generated test fixture from the kernel, then rewrites the
// goldens drawn from them. Run it after a change to what the pipeline computes (a split, a
// statistic, a payload field), then review `git diff test/` before committing:
//   1. test/kernel-lib/display/fixtures/*.json (the kernel views' payloads, generate.ts there);
//   2. test/extension/fixtures/*.json (the payloads the extension draws, from a real taxi run:
//      the data views, the training run, and the evaluation, its history, blessing and push);
//   3. prettier over both;
//   4. the golden tests of both sides with UPDATE_GOLDEN=1 (refused under CI).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './setup.mjs';

if (process.env.CI) {
  console.error(
    '[fixtures] error: fixtures and goldens are regenerated on a developer machine, not in CI',
  );
  process.exit(1);
}

function step(title, args, env = {}) {
  console.log(`\n[fixtures] ${title}`);
  const result = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`[fixtures] error: ${title} failed (status ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const tests = (dir) =>
  readdirSync(join(root, dir), { recursive: true })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => relative(root, join(root, dir, name)))
    .sort();

step('kernel display fixtures', [
  '--import',
  'tsx',
  'test/kernel-lib/display/fixtures/generate.ts',
]);
step('extension fixtures (a taxi pipeline run)', [
  '--import',
  'tsx',
  'test/extension/fixtures/generate.ts',
]);
step('prettier', [
  join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
  '--write',
  'test/kernel-lib/display/fixtures',
  'test/extension/fixtures',
]);
step(
  'goldens (UPDATE_GOLDEN=1)',
  ['--import', 'tsx', '--test', ...tests('test/kernel-lib/display'), ...tests('test/extension')],
  { UPDATE_GOLDEN: '1' },
);
console.log('\n[fixtures] done: review `git diff test/` (fixtures and goldens) before committing');
