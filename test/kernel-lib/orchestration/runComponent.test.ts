import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import {
  recoverInterruptedExecutions,
  runComponent,
  type RunTarget,
} from '../../../kernel-lib/src/orchestration/runComponent';
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

    it('an execution killed with SIGKILL is closed as FAILED by the next run, its files removed', async () => {
      const { root, metadata, child } = startHangingRun();
      await waitForLine(child.stdout, 'READY');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const store = new MetadataStore(metadata);
      const [running] = store.getExecutions({ componentId: 'Hang' });
      assert.equal(running.state, 'RUNNING', 'the killed process could not record anything');
      const [pending] = store.getArtifacts({ type: 'Model' });
      assert.equal(pending.state, 'PENDING');
      assert.ok(
        existsSync(join(root, '.staging', String(running.id))),
        'the half-written staging folder exists',
      );

      assert.equal(recoverInterruptedExecutions(store, root), 1);
      assert.equal(store.getExecution(running.id)?.state, 'FAILED');
      assert.match(store.getExecution(running.id)?.error ?? '', /interrupted: process \d+ ended/);
      assert.equal(store.getArtifact(pending.id)?.state, 'ABANDONED');
      assert.equal(existsSync(join(root, '.staging', String(running.id))), false);
      assert.equal(store.getArtifacts({ state: 'LIVE' }).length, 0);
      store.close();
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

/** `tsfx run` of a pipeline whose component writes part of its output and then hangs. */
function startHangingRun(): {
  root: string;
  metadata: string;
  child: ChildProcessWithoutNullStreams;
} {
  const root = tempDir();
  const metadata = join(root, 'metadata.sqlite');
  const pipeline = join(__dirname, 'hangingPipeline.ts');
  const child = spawn(
    process.execPath,
    [TSFX_BIN, 'run', pipeline, '--pipeline-root', root, '--metadata', metadata],
    {
      cwd: REPO_ROOT,
    },
  );
  return { root, metadata, child };
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
