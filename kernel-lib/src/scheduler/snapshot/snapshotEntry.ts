/**
 * The entry of the task process's startup snapshot: bundled by buildSnapshot.ts and run once by
 * `node --build-snapshot`, never run as it is. Everything a task process loads before its task
 * (tsfx whole, @tsfx/protocol, the scheduler's modules, the code fingerprint) is evaluated here
 * and kept in the snapshot; a task process started from the blob runs `main` at once.
 */
import { join } from 'node:path';
import { startupSnapshot } from 'node:v8';
import * as protocol from '@tsfx/protocol';
import { codeFingerprint } from '../../version';
import { main } from '../taskProcess';
import { resolveToLoaded } from './resolveToLoaded';
import { withoutSnapshotExecArgv } from './snapshotFiles';
import { CONTROL_REQUEST, type SnapshotRequire } from './snapshotRequire';

// The package's index as `require('tsfx')` returns it (its exports object, not a copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsfx = require('../../index') as object;

if (!startupSnapshot.isBuildingSnapshot()) {
  throw new Error('snapshotEntry is the entry of `node --build-snapshot`, not a program');
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const control = require(CONTROL_REQUEST) as SnapshotRequire;
// Read and hashed now, kept in the snapshot (the blob is used only while tsfx's files match it).
codeFingerprint();

startupSnapshot.setDeserializeMainFunction(() => {
  const { createRequire } = process.getBuiltinModule('node:module');
  process.execArgv = withoutSnapshotExecArgv(process.execArgv);
  control.useRealRequire(createRequire(join(__dirname, '..', '..', 'index.js')));
  // A DAG file's `import 'tsfx'` gets the tsfx of the snapshot, not a second copy from disk.
  resolveToLoaded({ tsfx, '@tsfx/protocol': protocol });
  void main({ snapshot: true });
});
