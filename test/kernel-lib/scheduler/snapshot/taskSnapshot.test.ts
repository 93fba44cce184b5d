import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTaskSnapshot } from '../../../../kernel-lib/src/scheduler/snapshot/buildSnapshot';
import {
  currentSnapshot,
  snapshotFiles,
} from '../../../../kernel-lib/src/scheduler/snapshot/snapshotFiles';
import { compiledDagsFolder } from '../../../../kernel-lib/src/scheduler/taskProcess';
import { WorkerPool } from '../../../../kernel-lib/src/scheduler/workerPool';
import { json, startScheduler, waitFor, world } from '../harness';

/** A task that forks a Node script and checks that the script ran (with its own arguments). */
const FORK_DAG = `
import { fork } from 'node:child_process';
import { Component, Pipeline, type DagOptions } from 'tsfx';

class ForkChild extends Component<{ script: string }> {
  readonly type = 'ForkChild';
  constructor(script: string) {
    super({ inputs: {}, outputs: { out: 'Schema' }, parameters: { script } });
    this.withId('fork');
  }
  async execute({ parameters }: { parameters: { script: string } }): Promise<void> {
    const child = fork(parameters.script, ['an argument']);
    const reply = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error('the child exited ' + code + ' without a reply')));
    });
    const expected = JSON.stringify({ ran: parameters.script, args: ['an argument'] });
    if (JSON.stringify(reply) !== expected) throw new Error('the child replied ' + JSON.stringify(reply));
    child.kill();
  }
}

export const dag: DagOptions = { dagId: 'fork', schedule: null, params: { script: '' } };

export function createPipeline(params: { script: string; metadataPath?: string }): Pipeline {
  return new Pipeline({
    name: 'fork',
    pipelineRoot: params.metadataPath + '.fork-root',
    metadataPath: params.metadataPath,
    components: [new ForkChild(params.script)],
  });
}
`;

// Task processes started from a startup snapshot built here (from kernel-lib/dist, as setup
// builds the default one), and the plain start when the blob is missing or refused.
describe('the task process startup snapshot', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsfx-task-snapshot-'));
  const folder = join(root, 'snapshot');
  const w = world({ 'fork_dag.ts': FORK_DAG });
  after(() => rmSync(root, { recursive: true, force: true }));
  before(async () => {
    assert.equal(await buildTaskSnapshot(folder), 'built');
  });

  /** Parses the noop DAG in a process of `pool`: the parse result and how the process started. */
  async function parseWith(pool: WorkerPool): Promise<{ kind: string; fromSnapshot: boolean }> {
    const worker = await pool.acquire();
    pool.close();
    const parsed = new Promise<string>((resolve) =>
      worker.onMessage((message) => {
        if (message.type === 'parsed') resolve(message.result.kind);
      }),
    );
    worker.child.send({
      kind: 'parse',
      file: join(w.dagsFolder, 'noop_dag.ts'),
      metadataPath: w.metadata,
    });
    const kind = await parsed;
    await worker.exited;
    return { kind, fromSnapshot: worker.fromSnapshot };
  }

  it('is current once built, and a second build does nothing', async () => {
    assert.deepEqual(currentSnapshot(folder), { blob: snapshotFiles(folder).blob });
    assert.equal(await buildTaskSnapshot(folder), 'up to date');
  });

  it("holds better-sqlite3's JavaScript and requires its addon by path (no bindings search)", () => {
    const manifest = JSON.parse(readFileSync(snapshotFiles(folder).manifest, 'utf8')) as {
      bundled: string[];
    };
    const addon = manifest.bundled.filter((path) => path.endsWith('.node'));
    assert.deepEqual(
      addon.map((path) => path.split('/node_modules/')[1]),
      ['better-sqlite3/build/Release/better_sqlite3.node'],
    );
    assert.ok(manifest.bundled.some((path) => path.endsWith('better-sqlite3/lib/database.js')));
    const entry = readFileSync(snapshotFiles(folder).entry, 'utf8');
    assert.ok(entry.includes(`require(${JSON.stringify(addon[0])})`));
    assert.ok(!/require\("bindings"\)/.test(entry));
  });

  it(
    'starts task processes that parse a DAG file with tsfx from the snapshot',
    { timeout: 60_000 },
    async () => {
      const pool = new WorkerPool(w.metadata + '.state', 1, undefined, { snapshotFolder: folder });
      assert.match(pool.startMode, /^from the snapshot /);
      assert.deepEqual(await parseWith(pool), { kind: 'dag', fromSnapshot: true });
      // The DAG file parsed is compiled for its tasks already (not between a trigger and a task).
      const compiled = readdirSync(compiledDagsFolder(w.metadata + '.state'));
      assert.equal(compiled.filter((f) => /^[0-9a-f]{64}\.js$/.test(f)).length, 1);
    },
  );

  it(
    'runs a triggered DAG to success with every task process started from it',
    { timeout: 180_000 },
    async () => {
      w.env.TSFX_TASK_SNAPSHOT = folder;
      const scheduler = await startScheduler(w);
      assert.match(scheduler.output(), /task processes start from the snapshot /);
      w.cli(['dags', 'unpause', 'noop']);
      json(w.cli(['dags', 'trigger', 'noop', '-r', 'from-snapshot', '-o', 'json']));
      let states: Record<string, string> = {};
      await waitFor(() => {
        const tis = json<{ task_id: string; state: string }[]>(
          w.cli(['tasks', 'states-for-dag-run', 'noop', 'from-snapshot', '-o', 'json']),
        );
        states = Object.fromEntries(tis.map((ti) => [ti.task_id, ti.state]));
        return Object.values(states).every((s) => s === 'success' || s === 'failed');
      }, 'the run to end');
      assert.deepEqual(states, { extract: 'success', left: 'success', right: 'success' });
      await scheduler.stop();
    },
  );

  it(
    "leaves its options out of what a task's own fork() inherits",
    { timeout: 180_000 },
    async () => {
      const script = join(root, 'child.js');
      writeFileSync(
        script,
        'process.send({ ran: __filename, args: process.argv.slice(2) }, () => process.exit(0));\n',
      );
      w.env.TSFX_TASK_SNAPSHOT = folder;
      const scheduler = await startScheduler(w);
      w.cli(['dags', 'unpause', 'fork']);
      const conf = JSON.stringify({ script });
      json(w.cli(['dags', 'trigger', 'fork', '-r', 'forks', '-c', conf, '-o', 'json']));
      let state = '';
      await waitFor(() => {
        state = w.cli(['dags', 'state', 'fork', 'forks']).stdout.trim();
        return state === 'success' || state === 'failed';
      }, 'the run to end');
      const log = w.cli(['tasks', 'logs', 'fork', 'forks', 'fork']).stdout;
      assert.equal(state, 'success', log);
      await scheduler.stop();
    },
  );

  it('starts without it when the blob is missing', { timeout: 60_000 }, async () => {
    const pool = new WorkerPool(w.metadata + '.state', 1, undefined, {
      snapshotFolder: join(root, 'missing'),
    });
    assert.match(pool.startMode, /^without a snapshot \(no task snapshot in /);
    assert.deepEqual(await parseWith(pool), { kind: 'dag', fromSnapshot: false });
  });

  it('starts without it when Node refuses the blob', { timeout: 60_000 }, async () => {
    const damaged = join(root, 'damaged');
    cpSync(folder, damaged, { recursive: true });
    writeFileSync(snapshotFiles(damaged).blob, 'not a snapshot');
    // The manifest still matches the code: only starting a process shows the blob is bad.
    const pool = new WorkerPool(w.metadata + '.state', 1, undefined, { snapshotFolder: damaged });
    assert.match(pool.startMode, /^from the snapshot /);
    assert.deepEqual(await parseWith(pool), { kind: 'dag', fromSnapshot: false });
    assert.match(pool.startMode, /^without a snapshot \(a process started from it failed/);
  });
});
