import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import type { ArtifactRecord, ExecutionRecord } from '../../../kernel-lib/src/metadata/types';
import { runComponent, type RunTarget } from '../../../kernel-lib/src/orchestration/runComponent';
import { REPO_ROOT, TSFX_BIN, tempDir } from '../../helpers';
import { executions, UpperText, WritesThenFails, WriteText } from '../fixtures';

function setup(): { store: MetadataStore; target: RunTarget; root: string } {
  const root = tempDir();
  const store = new MetadataStore(join(root, 'metadata.sqlite'));
  return { store, root, target: { pipelineName: 'p', pipelineRoot: root, runId: 'run-1' } };
}

describe('runComponent', () => {
  it('writes outputs into <root>/<ComponentId>/<key>/<execution id>/ and marks them LIVE', async () => {
    const { store, target, root } = setup();
    const write = new WriteText('hello');
    const result = await runComponent(store, target, write, { enableCache: true });
    assert.equal(result.state, 'COMPLETE');
    const [artifact] = result.outputs.out;
    assert.equal(artifact.uri, join(root, 'WriteText', 'out', String(result.executionId)));
    assert.equal(artifact.state, 'LIVE');
    assert.deepEqual(artifact.properties, { length: 5 });
    assert.equal(readFileSync(join(artifact.uri, 'text.txt'), 'utf8'), 'hello');
    assert.deepEqual(write.outputs.out.artifacts, [artifact]);
    assert.deepEqual(readdirSync(join(root, '.staging')), [], 'no staging folder is left');

    const upper = new UpperText(write.outputs.out);
    const second = await runComponent(store, target, upper, { enableCache: true });
    assert.equal(readFileSync(join(second.outputs.out[0].uri, 'text.txt'), 'utf8'), 'HELLO');
    const lineage = store.getLineage(second.outputs.out[0].id, 'upstream');
    assert.deepEqual(
      lineage.executions.map((e) => e.componentId),
      ['WriteText', 'UpperText'],
    );
    store.close();
  });

  it('removes the staging folder with whatever an executor left beside its outputs', async () => {
    const { store, target, root } = setup();
    const write = new WriteText('hello');
    const execute = write.execute.bind(write);
    write.execute = async (context) => {
      await execute(context);
      writeFileSync(join(context.outputs.out.uri, '..', 'scratch.txt'), 'left behind');
    };
    const result = await runComponent(store, target, write, { enableCache: false });
    assert.equal(result.state, 'COMPLETE');
    assert.deepEqual(readdirSync(join(root, '.staging')), []);
    assert.deepEqual(readdirSync(result.outputs.out[0].uri), ['text.txt']);
    store.close();
  });

  it('refuses to run a component whose upstream has not run', async () => {
    const { store, target } = setup();
    const upper = new UpperText(new WriteText('x').outputs.out);
    await assert.rejects(
      runComponent(store, target, upper, { enableCache: true }),
      /input "text" has no artifact yet: run WriteText first/,
    );
    store.close();
  });

  describe('caching', () => {
    it('hits when inputs, parameters and code are the same, and records a CACHED execution', async () => {
      const { store, target } = setup();
      const first = await runComponent(store, target, new WriteText('same'), { enableCache: true });
      const before = executions.write;
      const again = new WriteText('same');
      const second = await runComponent(store, target, again, { enableCache: true });
      assert.equal(executions.write, before, 'the executor did not run again');
      assert.equal(second.state, 'CACHED');
      assert.equal(second.cachedFrom, first.executionId);
      assert.deepEqual(
        second.outputs.out.map((a) => a.id),
        first.outputs.out.map((a) => a.id),
      );
      assert.deepEqual(
        again.outputs.out.artifacts.map((a) => a.id),
        first.outputs.out.map((a) => a.id),
      );
      assert.equal(store.getExecution(second.executionId)?.state, 'CACHED');
      assert.equal(store.getArtifacts({ type: 'Schema' }).length, 1);
      store.close();
    });

    it('misses when a parameter changes', async () => {
      const { store, target } = setup();
      await runComponent(store, target, new WriteText('one'), { enableCache: true });
      const result = await runComponent(store, target, new WriteText('two'), { enableCache: true });
      assert.equal(result.state, 'COMPLETE');
      assert.equal(store.getArtifacts({ type: 'Schema' }).length, 2);
      store.close();
    });

    it('misses when an input artifact changes', async () => {
      const { store, target } = setup();
      const a = new WriteText('a');
      await runComponent(store, target, a, { enableCache: true });
      const upper = new UpperText(a.outputs.out);
      await runComponent(store, target, upper, { enableCache: true });
      assert.equal(
        (await runComponent(store, target, upper, { enableCache: true })).state,
        'CACHED',
      );
      // A new upstream artifact (caching off upstream) makes the downstream run again.
      await runComponent(store, target, a, { enableCache: false });
      const rerun = await runComponent(store, target, upper, { enableCache: true });
      assert.equal(rerun.state, 'COMPLETE');
      store.close();
    });

    it('misses when the module file (code) changes', async () => {
      const { store, target, root } = setup();
      const moduleFile = join(root, 'module.ts');
      writeFileSync(moduleFile, 'v1:');
      const a = new WriteText('a');
      await runComponent(store, target, a, { enableCache: true });
      const first = await runComponent(store, target, new UpperText(a.outputs.out, moduleFile), {
        enableCache: true,
      });
      assert.equal(first.state, 'COMPLETE');
      assert.equal(
        (
          await runComponent(store, target, new UpperText(a.outputs.out, moduleFile), {
            enableCache: true,
          })
        ).state,
        'CACHED',
      );
      writeFileSync(moduleFile, 'v2:');
      const changed = await runComponent(store, target, new UpperText(a.outputs.out, moduleFile), {
        enableCache: true,
      });
      assert.equal(changed.state, 'COMPLETE');
      assert.equal(readFileSync(join(changed.outputs.out[0].uri, 'text.txt'), 'utf8'), 'v2:A');
      store.close();
    });

    it('does not reuse when caching is off, and does not reuse outputs deleted from disk', async () => {
      const { store, target } = setup();
      const first = await runComponent(store, target, new WriteText('x'), { enableCache: true });
      assert.equal(
        (await runComponent(store, target, new WriteText('x'), { enableCache: false })).state,
        'COMPLETE',
      );
      const { rmSync } = await import('node:fs');
      rmSync(first.outputs.out[0].uri, { recursive: true });
      // The newest COMPLETE execution (the uncached one) is still on disk and is reused.
      const third = await runComponent(store, target, new WriteText('x'), { enableCache: true });
      assert.equal(third.state, 'CACHED');
      assert.notEqual(third.outputs.out[0].id, first.outputs.out[0].id);
      rmSync(third.outputs.out[0].uri, { recursive: true });
      assert.equal(
        (await runComponent(store, target, new WriteText('x'), { enableCache: true })).state,
        'COMPLETE',
      );
      store.close();
    });
  });

  describe('failures', () => {
    it('a failing executor leaves no LIVE artifact and no folder, and records the error', async () => {
      const { store, target, root } = setup();
      await assert.rejects(
        runComponent(store, target, new WritesThenFails('throw'), { enableCache: true }),
        /disk on fire/,
      );
      const [execution] = store.getExecutions({ componentId: 'WritesThenFails' });
      assert.equal(execution.state, 'FAILED');
      assert.equal(execution.error, 'disk on fire');
      const [artifact] = store.getArtifacts({ type: 'Model' });
      assert.equal(artifact.state, 'ABANDONED');
      assert.equal(existsSync(artifact.uri), false);
      assert.equal(existsSync(join(root, '.staging', String(execution.id))), false);
      store.close();
    });

    it('SIGKILL, then a `tsfx run` started at once: the killed execution is closed as FAILED, its files removed', async () => {
      const { root, metadata, child } = startHangingRun();
      await waitForLine(child.stdout, 'READY');
      const hanging = readHanging(metadata);
      assert.ok(existsSync(join(root, '.staging', String(hanging.execution.id))));
      assert.ok(hanging.execution.livenessSocket && existsSync(hanging.execution.livenessSocket));
      child.kill('SIGKILL');
      // The rerun starts now, without waiting for the killed process to be reaped.
      const rerun = await tsfxRun(root, metadata, { TSFX_TEST_HANG: '0' });
      assert.equal(rerun.code, 0, rerun.stderr);
      assertRecovered(root, metadata, hanging);
    });

    it('a killed process that stays a zombie (never reaped) is not taken for alive', async () => {
      const root = tempDir();
      const metadata = join(root, 'metadata.sqlite');
      // `sh` starts tsfx in the background and becomes `sleep`, which never reaps its children.
      const parent = spawn(
        'sh',
        ['-c', `"$0" "$@" & echo "PID $!"; exec sleep 600`, ...tsfxRunArgs(root, metadata)],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        let out = '';
        parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
        await waitForLine(parent.stdout, 'READY');
        const pid = Number(/PID (\d+)/.exec(out)![1]);
        const hanging = readHanging(metadata);
        process.kill(pid, 'SIGKILL');
        await waitFor(() => processState(pid) === 'Z', 'the killed process to become a zombie');
        assert.doesNotThrow(() => process.kill(pid, 0), 'kill(pid, 0) still finds the zombie');
        const rerun = await tsfxRun(root, metadata, { TSFX_TEST_HANG: '0' });
        assert.equal(rerun.code, 0, rerun.stderr);
        assert.equal(processState(pid), 'Z', 'it was a zombie all along');
        assertRecovered(root, metadata, hanging);
      } finally {
        parent.kill('SIGKILL');
      }
    });

    it('a run leaves the execution of a live concurrent run alone, even a stopped one', async () => {
      const { root, metadata, child } = startHangingRun();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await waitForLine(child.stdout, 'READY');
        const hanging = readHanging(metadata);
        child.kill('SIGSTOP');
        const other = await tsfxRun(root, metadata, { TSFX_TEST_HANG: '0' });
        child.kill('SIGCONT');
        assert.equal(other.code, 0, other.stderr);
        const store = new MetadataStore(metadata);
        assert.equal(store.getExecution(hanging.execution.id)?.state, 'RUNNING');
        assert.equal(store.getArtifact(hanging.artifact.id)?.state, 'PENDING');
        assert.equal(store.getExecutions({ state: 'COMPLETE' }).length, 1, 'the other run ran');
        store.close();
        assert.ok(existsSync(join(root, '.staging', String(hanging.execution.id), 'model')));
        child.kill('SIGINT');
        assert.equal(await exited, 130);
      } finally {
        child.kill('SIGCONT');
      }
    });

    it('SIGINT during `tsfx run` closes the execution as CANCELED and exits 130', async () => {
      const { root, metadata, child } = startHangingRun();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await waitForLine(child.stdout, 'READY');
      child.kill('SIGINT');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 130);
      assert.match(stderr.trim().split('\n').pop()!, /^error: interrupted by SIGINT/);
      const store = new MetadataStore(metadata);
      assert.equal(store.getExecutions({ componentId: 'Hang' })[0].state, 'CANCELED');
      assert.equal(store.getArtifacts({ type: 'Model' })[0].state, 'ABANDONED');
      assert.deepEqual(readdirSync(join(root, '.staging')), []);
      assert.equal(existsSync(join(root, 'Hang', 'model')), false);
      store.close();
    });
  });
});

function tsfxRunArgs(root: string, metadata: string): string[] {
  const pipeline = join(__dirname, 'hangingPipeline.ts');
  return [
    process.execPath,
    TSFX_BIN,
    'run',
    pipeline,
    '--pipeline-root',
    root,
    '--metadata',
    metadata,
  ];
}

/** `tsfx run` of a pipeline whose component writes part of its output and then hangs. */
function startHangingRun(): {
  root: string;
  metadata: string;
  child: ChildProcessWithoutNullStreams;
} {
  const root = tempDir();
  const metadata = join(root, 'metadata.sqlite');
  const [node, ...args] = tsfxRunArgs(root, metadata);
  const child = spawn(node, args, { cwd: REPO_ROOT });
  // Whatever a test asserts, the hanging run must not outlive it.
  after(() => {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  });
  return { root, metadata, child };
}

/** A `tsfx run` of the hanging pipeline to its end. */
function tsfxRun(
  root: string,
  metadata: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const [node, ...args] = tsfxRunArgs(root, metadata);
  const child = spawn(node, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** The hanging execution and its pending artifact, as the store has them while it hangs. */
function readHanging(metadata: string): { execution: ExecutionRecord; artifact: ArtifactRecord } {
  const store = new MetadataStore(metadata);
  try {
    const [execution] = store.getExecutions({ componentId: 'Hang', state: 'RUNNING' });
    const [artifact] = store.getArtifacts({ type: 'Model' });
    assert.equal(artifact.state, 'PENDING');
    return { execution, artifact };
  } finally {
    store.close();
  }
}

/** The killed execution was closed by the next run: FAILED, nothing of it left. */
function assertRecovered(
  root: string,
  metadata: string,
  hanging: { execution: ExecutionRecord; artifact: ArtifactRecord },
): void {
  const store = new MetadataStore(metadata);
  try {
    const closed = store.getExecution(hanging.execution.id);
    assert.equal(closed?.state, 'FAILED');
    assert.match(
      closed?.error ?? '',
      /^interrupted: process \d+ ended before the execution finished$/,
    );
    assert.equal(store.getArtifact(hanging.artifact.id)?.state, 'ABANDONED');
    assert.equal(existsSync(hanging.artifact.uri), false);
    assert.equal(existsSync(join(root, '.staging', String(hanging.execution.id))), false);
    assert.equal(existsSync(hanging.execution.livenessSocket!), false, 'its socket file is gone');
    const [rerun] = store.getExecutions({ componentId: 'Hang', state: 'COMPLETE' });
    assert.ok(rerun.id > hanging.execution.id);
    assert.deepEqual(
      store.getArtifacts({ state: 'LIVE' }).map((a) => a.uri),
      [join(root, 'Hang', 'model', String(rerun.id))],
    );
  } finally {
    store.close();
  }
}

/** The state letter of /proc/<pid>/stat (R, S, Z, …), or null once the process is gone. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited 30 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function waitForLine(stream: NodeJS.ReadableStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${line}" within 30 s; saw: ${seen}`)),
      30_000,
    );
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
