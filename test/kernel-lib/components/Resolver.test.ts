// The Resolver (TFX's resolver node): LatestBlessedModelStrategy and LatestArtifactStrategy over
// hand-built metadata stores, what a run records for it, and how a consumer reads its output.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Resolver } from '../../../kernel-lib/src/components/Resolver';
import { PipelineDefinitionError } from '../../../kernel-lib/src/errors';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import type { Properties } from '../../../kernel-lib/src/metadata/types';
import { resolveInputs } from '../../../kernel-lib/src/orchestration/resolveInputs';
import { runComponent } from '../../../kernel-lib/src/orchestration/runComponent';
import { Component, type ExecutorContext } from '../../../kernel-lib/src/pipeline/Component';
import type { Channel } from '../../../kernel-lib/src/pipeline/Channel';
import { tempDir } from '../../helpers';

function store(): MetadataStore {
  return new MetadataStore(join(tempDir(), 'metadata.sqlite'));
}

/** A LIVE artifact of `type` attributed to `pipeline`'s context; returns its id. */
function live(s: MetadataStore, pipeline: string, type: string, properties: Properties = {}) {
  const id = s.createArtifact(type, `/nowhere/${type}/${Math.random()}`, 'LIVE', properties);
  s.attribute(s.context('pipeline', pipeline), id);
  return id;
}

const blessing = (s: MetadataStore, pipeline: string, modelId: number, blessed: 0 | 1) =>
  live(s, pipeline, 'ModelBlessing', { blessed, current_model_id: modelId });

const latestBlessed = () =>
  new Resolver({ strategy: 'latestBlessedModel', model: 'Model', modelBlessing: 'ModelBlessing' });

const ids = (resolved: Record<string, { id: number }[]>) =>
  Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, v.map((a) => a.id)]));

describe('Resolver, latestBlessedModel', () => {
  it('resolves nothing when no model is blessed (a first run), without an error', () => {
    const s = store();
    const m1 = live(s, 'p', 'Model');
    blessing(s, 'p', m1, 0);
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'p')), { model: [], modelBlessing: [] });
    assert.deepEqual(ids(latestBlessed().resolveFrom(store(), 'p')), {
      model: [],
      modelBlessing: [],
    });
  });

  it('chooses the newest blessed model over a newer unblessed one, with its blessing', () => {
    const s = store();
    const m1 = live(s, 'p', 'Model');
    const m2 = live(s, 'p', 'Model');
    const m3 = live(s, 'p', 'Model');
    const b1 = blessing(s, 'p', m1, 1);
    const b2 = blessing(s, 'p', m2, 1);
    blessing(s, 'p', m3, 0);
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'p')), {
      model: [m2],
      modelBlessing: [b2],
    });
    assert.ok(b1 < b2);
  });

  it('ignores a blessing of another model, and models no longer LIVE', () => {
    const s = store();
    const m1 = live(s, 'p', 'Model');
    const m2 = live(s, 'p', 'Model');
    // Blesses an id that is no Model of this pipeline (the newest Model, m2, is unblessed).
    blessing(s, 'p', m2 + 100, 1);
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'p')), { model: [], modelBlessing: [] });
    const b1 = blessing(s, 'p', m1, 1);
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'p')), {
      model: [m1],
      modelBlessing: [b1],
    });
    s.updateArtifact(m1, { state: 'DELETED' });
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'p')), { model: [], modelBlessing: [] });
  });

  it("keeps to its pipeline's context", () => {
    const s = store();
    const mine = live(s, 'p', 'Model');
    const mineBlessing = blessing(s, 'p', mine, 1);
    const theirs = live(s, 'other', 'Model');
    blessing(s, 'other', theirs, 1);
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'p')), {
      model: [mine],
      modelBlessing: [mineBlessing],
    });
    assert.deepEqual(ids(latestBlessed().resolveFrom(s, 'third')), {
      model: [],
      modelBlessing: [],
    });
  });

  it('refuses a wrong definition in one line', () => {
    assert.throws(
      () => new Resolver({ strategy: 'latestBlessedModel', model: 'Model' }),
      (e: Error) =>
        e instanceof PipelineDefinitionError &&
        /latestBlessedModel strategy takes one Model and one ModelBlessing channel/.test(e.message),
    );
    assert.throws(
      () => new Resolver({ strategy: 'newest' as 'latestArtifact', model: 'Model' }),
      /strategy must be one of latestBlessedModel, latestArtifact, got "newest"/,
    );
    assert.throws(
      () => new Resolver({ strategy: 'latestArtifact', model: 'Modle' as 'Model' }),
      /model must name an artifact type/,
    );
  });
});

describe('Resolver, latestArtifact', () => {
  it('resolves the newest LIVE artifact of each type in the pipeline', () => {
    const s = store();
    live(s, 'p', 'Examples');
    const newest = live(s, 'p', 'Examples');
    s.createArtifact('Examples', '/pending', 'PENDING');
    live(s, 'other', 'Examples');
    const resolver = new Resolver({
      strategy: 'latestArtifact',
      examples: 'Examples',
      schema: 'Schema',
    });
    assert.deepEqual(ids(resolver.resolveFrom(s, 'p')), { examples: [newest], schema: [] });
  });
});

/** Records the baseline it was given (an optional input, as the Evaluator's). */
class Consumer extends Component<Record<string, never>> {
  readonly type = 'Consumer';
  seen: number[] | undefined = [];
  constructor(baseline: Channel) {
    super({
      inputs: { baseline: baseline.asOptional() },
      outputs: { out: 'Schema' },
      parameters: {},
    });
  }
  async execute({ inputs }: ExecutorContext<Record<string, never>>): Promise<void> {
    this.seen = inputs.baseline?.map((a) => a.id);
  }
}

describe('Resolver in a run', () => {
  it('records an execution whose outputs are the resolved artifacts themselves, never cached', async () => {
    const s = store();
    const root = tempDir();
    const target = (runId: string) => ({ pipelineName: 'p', pipelineRoot: root, runId });
    const resolver = latestBlessed().withId('latest_blessed_model_resolver');
    const consumer = new Consumer(resolver.outputs.model);

    // First run: nothing blessed; the consumer runs without a baseline.
    const first = await runComponent(s, target('r1'), resolver, { enableCache: true });
    assert.equal(first.state, 'COMPLETE');
    assert.deepEqual(ids(first.outputs), { model: [], modelBlessing: [] });
    await runComponent(s, target('r1'), consumer, { enableCache: true });
    assert.equal(consumer.seen, undefined);

    const m1 = live(s, 'p', 'Model');
    const b1 = blessing(s, 'p', m1, 1);
    const artifactsBefore = s.getArtifacts().length;
    const second = await runComponent(s, target('r2'), resolver, { enableCache: true });
    assert.equal(second.state, 'COMPLETE');
    assert.deepEqual(ids(second.outputs), { model: [m1], modelBlessing: [b1] });
    assert.equal(s.getArtifacts().length, artifactsBefore, 'no new artifact');
    assert.deepEqual(
      s.getEvents({ executionId: second.executionId }).map((e) => [e.type, e.key, e.artifactId]),
      [
        ['OUTPUT', 'model', m1],
        ['OUTPUT', 'modelBlessing', b1],
      ],
    );
    assert.deepEqual(
      resolver.outputs.model.artifacts.map((a) => a.id),
      [m1],
    );
    await runComponent(s, target('r2'), consumer, { enableCache: true });
    assert.deepEqual(consumer.seen, [m1]);
    // In run r1 the resolver resolved nothing: r1's consumer still sees nothing, not r2's model.
    assert.deepEqual(resolveInputs(s, target('r1'), consumer), {});

    // A newer blessed model: the next run resolves again rather than reusing r2's resolution.
    const m2 = live(s, 'p', 'Model');
    blessing(s, 'p', m2, 1);
    const third = await runComponent(s, target('r3'), resolver, { enableCache: true });
    assert.deepEqual(ids(third.outputs).model, [m2]);
    // A consumer run on its own in a fresh run resolves now (not the resolver's last output).
    const m3 = live(s, 'p', 'Model');
    blessing(s, 'p', m3, 1);
    assert.deepEqual(ids(resolveInputs(s, target('r4'), consumer)), { baseline: [m3] });
    s.close();
  });
});
