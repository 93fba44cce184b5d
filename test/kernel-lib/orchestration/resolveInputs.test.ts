import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { resolveInputs } from '../../../kernel-lib/src/orchestration/resolveInputs';
import { runComponent, type RunTarget } from '../../../kernel-lib/src/orchestration/runComponent';
import type { Component } from '../../../kernel-lib/src/pipeline/Component';
import { tempDir } from '../../helpers';
import { JoinsOptional, UpperText, WriteText } from '../fixtures';

function setup(): {
  store: MetadataStore;
  run: (component: Component, runId: string, pipelineName?: string) => Promise<number>;
  target: (runId: string, pipelineName?: string) => RunTarget;
} {
  const root = tempDir();
  const store = new MetadataStore(join(root, 'metadata.sqlite'));
  const target = (runId: string, pipelineName = 'p') => ({
    pipelineName,
    pipelineRoot: join(root, pipelineName),
    runId,
  });
  const run = async (component: Component, runId: string, pipelineName = 'p') =>
    (await runComponent(store, target(runId, pipelineName), component, { enableCache: true }))
      .executionId;
  return { store, run, target };
}

const text = (component: Component): string =>
  readFileSync(join(component.outputs.out.artifacts[0].uri, 'text.txt'), 'utf8');

describe('resolveInputs (from the metadata store)', () => {
  it("reads the upstream's outputs in the same run, else the latest LIVE in the pipeline", async () => {
    const { store, run, target } = setup();
    await run(new WriteText('one'), 'r1');
    await run(new WriteText('two'), 'r2');
    const fromR1 = resolveInputs(
      store,
      target('r1'),
      new UpperText(new WriteText('?').outputs.out),
    );
    assert.equal(readFileSync(join(fromR1.text[0].uri, 'text.txt'), 'utf8'), 'one');
    // A fresh run (a component started in its own process) takes the newest LIVE artifact.
    const fresh = resolveInputs(store, target('r3'), new UpperText(new WriteText('?').outputs.out));
    assert.equal(readFileSync(join(fresh.text[0].uri, 'text.txt'), 'utf8'), 'two');
    store.close();
  });

  it("in a run, follows the producer's newest execution, also when it was a cache hit", async () => {
    const { store, run } = setup();
    await run(new WriteText('one'), 'r1');
    await run(new WriteText('two'), 'r1');
    // Cached: it reuses the older artifact, which is what this run now reads.
    await run(new WriteText('one'), 'r1');
    const upper = new UpperText(new WriteText('?').outputs.out);
    await run(upper, 'r1');
    assert.equal(text(upper), 'ONE');
    store.close();
  });

  it('does not read artifacts of another pipeline', async () => {
    const { store, run, target } = setup();
    await run(new WriteText('elsewhere'), 'r1', 'other');
    assert.throws(
      () => resolveInputs(store, target('r1'), new UpperText(new WriteText('?').outputs.out)),
      /UpperText input "text" has no artifact yet: run WriteText first \(no LIVE Schema from WriteText.out in pipeline p\)/,
    );
    store.close();
  });

  it('an optional input with no artifact is undefined, and the component runs', async () => {
    const { store, run } = setup();
    const write = new WriteText('base');
    await run(write, 'r1');
    const extraSource = new WriteText('extra').withId('Extra');
    const join1 = new JoinsOptional(write.outputs.out, extraSource.outputs.out);
    await run(join1, 'r1');
    assert.ok(join1.seen && 'extra' in join1.seen, 'the executor ran');
    assert.equal(join1.seen.extra, undefined);
    assert.equal(text(join1), 'base (no extra)');
    // Once the optional input's producer has run, it is read (and the cache misses).
    await run(extraSource, 'r1');
    const join2 = new JoinsOptional(write.outputs.out, extraSource.outputs.out);
    await run(join2, 'r1');
    assert.equal(text(join2), 'base+extra');
    // Not wired at all: no such input.
    const alone = new JoinsOptional(write.outputs.out);
    assert.deepEqual(Object.keys(alone.inputs), ['text']);
    store.close();
  });

  it('a required input with no artifact is an error naming the producer to run', async () => {
    const { store, run } = setup();
    await assert.rejects(
      run(new UpperText(new WriteText('x').outputs.out), 'r1'),
      /UpperText input "text" has no artifact yet: run WriteText first/,
    );
    store.close();
  });
});
