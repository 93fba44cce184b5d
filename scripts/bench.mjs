#!/usr/bin/env node
// `npm run bench` after setup: runs every benchmark in bench/*.ts (each prints its own table with
// ratios against the peers it runs in the same script). Generated inputs are cached in build/bench.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './setup.mjs';

const only = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((name) => name.endsWith('.ts'))
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n[bench] ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', name)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`[bench] error: ${name} failed (status ${result.status ?? result.signal})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
