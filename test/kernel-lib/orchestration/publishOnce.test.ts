import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Component, type ExecutorContext } from '../../../kernel-lib/src';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { runComponent, type RunTarget } from '../../../kernel-lib/src/orchestration/runComponent';
import { tempDir } from '../../helpers';

/** Writes its token once `gate` opens, so that two deliveries can be in flight together. */
class Gated extends Component<{ name: string }> {
  readonly type = 'Gated';
  ran = 0;
  constructor(
    private readonly token: string,
    private readonly gate: Promise<void>,
  ) {
    super({ inputs: {}, outputs: { out: 'Schema' }, parameters: { name: 'gated' } });
  }
  async execute({ outputs }: ExecutorContext<{ name: string }>): Promise<void> {
    this.ran++;
    writeFileSync(join(outputs.out.uri, 'token.txt'), this.token);
    await this.gate;
    outputs.out.properties = { token: this.token };
  }
}

function setup(): { store: MetadataStore; target: RunTarget; root: string } {
  const root = tempDir();
  const store = new MetadataStore(join(root, 'metadata.sqlite'));
  return { store, root, target: { pipelineName: 'p', pipelineRoot: root, runId: 'run-1' } };
}

const opened = Promise.resolve();

describe('runComponent with attemptSince: a task try delivered twice publishes once', () => {
  it('two deliveries in flight together: the first to finish publishes, the other cancels its outputs', async () => {
    const { store, target, root } = setup();
    const since = Date.now();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = new Gated('first', opened);
    const second = new Gated('second', gate);
    const secondRun = runComponent(store, target, second, {
      enableCache: false,
      attemptSince: since,
    });
    // The second is mid-execution (its outputs half written) while the first runs and publishes.
    while (second.ran === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const a = await runComponent(store, target, first, { enableCache: false, attemptSince: since });
    open();
    const b = await secondRun;
    assert.equal(b.executionId, a.executionId, 'the second delivery reports the first one');
    assert.deepEqual(
      store
        .getExecutions({ componentId: 'Gated' })
        .map((e) => e.state)
        .sort(),
      ['CANCELED', 'COMPLETE'],
    );
    const live = store.getArtifacts({ state: 'LIVE' });
    assert.deepEqual(
      live.map((x) => x.properties.token),
      ['first'],
    );
    for (const x of store.getArtifacts({ state: 'ABANDONED' }))
      assert.equal(existsSync(x.uri), false);
    assert.deepEqual(readdirSync(join(root, '.staging')), [], 'no staging left');
    store.close();
  });

  it('a delivery after the try completed runs nothing and returns that execution', async () => {
    const { store, target } = setup();
    const since = Date.now();
    const a = await runComponent(store, target, new Gated('a', opened), {
      enableCache: false,
      attemptSince: since,
    });
    const again = new Gated('b', opened);
    const b = await runComponent(store, target, again, { enableCache: false, attemptSince: since });
    assert.equal(again.ran, 0);
    assert.equal(b.executionId, a.executionId);
    assert.equal(store.getExecutions({ componentId: 'Gated' }).length, 1);
    // A later try (queued after that execution) runs again, as a cleared task does.
    const later = new Gated('c', opened);
    const c = await runComponent(store, target, later, {
      enableCache: false,
      attemptSince: Date.now() + 1,
    });
    assert.equal(later.ran, 1);
    assert.notEqual(c.executionId, a.executionId);
    store.close();
  });
});
