import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PipelineDefinitionError } from '../../../kernel-lib/src/errors';
import type { Channel } from '../../../kernel-lib/src/pipeline/Channel';
import { Component } from '../../../kernel-lib/src/pipeline/Component';
import { Pipeline } from '../../../kernel-lib/src/pipeline/Pipeline';
import { JoinsOptional, UpperText, WriteText } from '../fixtures';

describe('Pipeline', () => {
  it('derives a topological order from channel wiring, whatever the listed order', () => {
    const a = new WriteText('a');
    const b = new UpperText(a.outputs.out);
    const c = new UpperText(b.outputs.out).withId('UpperAgain');
    const pipeline = new Pipeline({ name: 'p', pipelineRoot: '/tmp/p', components: [c, b, a] });
    assert.deepEqual(
      pipeline.order.map((x) => x.id),
      ['WriteText', 'UpperText', 'UpperAgain'],
    );
    assert.deepEqual(pipeline.upstreamOf(c), [b]);
    assert.equal(c.inputs.text.producer, b);
    assert.equal(c.inputs.text.type, 'ExampleStatistics');
  });

  it('keeps the listed order among independent components', () => {
    const x = new WriteText('x').withId('X');
    const y = new WriteText('y').withId('Y');
    const pipeline = new Pipeline({ name: 'p', pipelineRoot: '/tmp/p', components: [y, x] });
    assert.deepEqual(
      pipeline.order.map((c) => c.id),
      ['Y', 'X'],
    );
  });

  it('places a component as soon as its producers are, before later-listed ready ones', () => {
    // Listed X, B, A, Y, D, C with A -> B, A -> C, B -> D, C -> D: X is ready first, then A
    // (B waits for it); then B, listed before Y; C waits for A only but is listed after Y and D.
    const a = new WriteText('a').withId('A');
    const b = new UpperText(a.outputs.out).withId('B');
    const c = new UpperText(a.outputs.out).withId('C');
    const d = new JoinsOptional(b.outputs.out, c.outputs.out).withId('D');
    const x = new WriteText('x').withId('X');
    const y = new WriteText('y').withId('Y');
    const pipeline = new Pipeline({
      name: 'p',
      pipelineRoot: '/tmp/p',
      components: [x, b, a, y, d, c],
    });
    assert.deepEqual(
      pipeline.order.map((component) => component.id),
      ['X', 'A', 'B', 'Y', 'C', 'D'],
    );
  });

  it('refuses a missing upstream component at definition time', () => {
    const a = new WriteText('a');
    const b = new UpperText(a.outputs.out);
    assert.throws(
      () => new Pipeline({ name: 'p', pipelineRoot: '/tmp/p', components: [b] }),
      (error: Error) =>
        error instanceof PipelineDefinitionError &&
        /UpperText input "text" comes from WriteText, which is not in pipeline p/.test(
          error.message,
        ),
    );
  });

  it('refuses a cycle', () => {
    const a = new WriteText('a');
    const b = new UpperText(a.outputs.out);
    const c = new UpperText(b.outputs.out).withId('C');
    // Rewire b to read from c: b -> c -> b.
    (b.inputs as Record<string, Channel>).text = c.outputs.out;
    assert.throws(
      () => new Pipeline({ name: 'p', pipelineRoot: '/tmp/p', components: [a, b, c] }),
      /pipeline p has a cycle among: UpperText, C/,
    );
  });

  it('refuses two components with one id', () => {
    assert.throws(
      () =>
        new Pipeline({
          name: 'p',
          pipelineRoot: '/tmp/p',
          components: [new WriteText('a'), new WriteText('b')],
        }),
      /two components with id "WriteText"/,
    );
  });

  it('refuses bad names', () => {
    assert.throws(
      () => new Pipeline({ name: 'has space', pipelineRoot: '/tmp/p', components: [] }),
      /pipeline name/,
    );
    assert.throws(() => new WriteText('a').withId('../escape'), /component id/);
    // Output keys hold no dot: the pipeline IR names a channel `<producer id>.<output key>`.
    class DottedKey extends Component<Record<string, never>> {
      readonly type = 'DottedKey';
      constructor() {
        super({ inputs: {}, outputs: { 'model.v2': 'Model' }, parameters: {} });
      }
      async execute(): Promise<void> {}
    }
    assert.throws(
      () => new DottedKey(),
      /input or output key "model.v2" must be an identifier \(letters, digits, _; no dot\)/,
    );
  });
});
