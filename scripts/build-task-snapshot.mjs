#!/usr/bin/env node
// Builds the scheduler's task-process startup snapshot (kernel-lib/build/task-snapshot) from the
// compiled kernel-lib, unless the one there is current. Run after `tsc -b kernel-lib` (setup and
// `npm run build` do). Without a current snapshot, task processes start the plain way.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { buildTaskSnapshot } = require('../kernel-lib/dist/scheduler/snapshot/buildSnapshot.js');

const started = Date.now();
const done = await buildTaskSnapshot();
if (done === 'built')
  console.log(`[build] task snapshot built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
