import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  currentSnapshot,
  inputsHash,
  snapshotFiles,
  snapshotExecArgv,
  snapshotInputs,
  withoutSnapshotExecArgv,
  type SnapshotManifest,
} from '../../../../kernel-lib/src/scheduler/snapshot/snapshotFiles';

describe('currentSnapshot: a blob is used only while what it was built from is unchanged', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsfx-snapshot-files-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const dist = join(root, 'dist');
  const folder = join(root, 'snapshot');
  const bundled = join(root, 'protocol.js');
  mkdirSync(join(dist, 'scheduler'), { recursive: true });
  mkdirSync(folder);
  writeFileSync(join(dist, 'index.js'), 'exports.a = 1;');
  writeFileSync(join(dist, 'scheduler', 'taskProcess.js'), 'exports.b = 2;');
  writeFileSync(bundled, 'exports.c = 3;');
  const files = snapshotFiles(folder);

  const writeManifest = (changes: Partial<SnapshotManifest> = {}): void => {
    const inputs = snapshotInputs([bundled], dist);
    const manifest: SnapshotManifest = {
      node: process.version,
      arch: process.arch,
      bundled: [bundled],
      inputs,
      hash: inputsHash(inputs),
      ...changes,
    };
    writeFileSync(files.manifest, JSON.stringify(manifest));
  };

  it('is missing without a blob', () => {
    writeManifest();
    assert.match(String(Object.values(currentSnapshot(folder, dist))), /no task snapshot/);
  });

  it('is current when every input is as it was', () => {
    writeFileSync(files.blob, 'blob');
    assert.deepEqual(currentSnapshot(folder, dist), { blob: files.blob });
  });

  it('is current when a file was rewritten with the same contents (a new time only)', () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dist, 'index.js'), later, later);
    assert.deepEqual(currentSnapshot(folder, dist), { blob: files.blob });
  });

  it('is stale when a bundled file changed', () => {
    writeFileSync(bundled, 'exports.c = 4;');
    assert.match(String(Object.values(currentSnapshot(folder, dist))), /older than the code/);
    writeManifest();
    assert.deepEqual(currentSnapshot(folder, dist), { blob: files.blob });
  });

  it('is stale when a file of dist changed with the same size, or appeared', () => {
    writeFileSync(join(dist, 'scheduler', 'taskProcess.js'), 'exports.b = 5;');
    assert.match(String(Object.values(currentSnapshot(folder, dist))), /older than the code/);
    writeManifest();
    writeFileSync(join(dist, 'scheduler', 'new.js'), '');
    assert.match(String(Object.values(currentSnapshot(folder, dist))), /older than the code/);
  });

  it('is not used by another Node', () => {
    writeManifest({ node: 'v0.0.1' });
    assert.match(String(Object.values(currentSnapshot(folder, dist))), /built by Node v0\.0\.1/);
  });
});

describe("a task process's own options are left out of what its children inherit", () => {
  it('keeps every other option, in order', () => {
    const execArgv = ['--inspect', ...snapshotExecArgv('/a/taskProcess.blob'), '--trace-warnings'];
    assert.deepEqual(withoutSnapshotExecArgv(execArgv), ['--inspect', '--trace-warnings']);
    assert.deepEqual(withoutSnapshotExecArgv(['--snapshot-blob=/b', '-r', 'x']), ['-r', 'x']);
  });
});
