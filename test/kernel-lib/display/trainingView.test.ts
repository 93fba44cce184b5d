import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trainingHtml, trainingPayload } from '../../../kernel-lib/src/display/trainingView';
import type { TrainingEvent } from '../../../kernel-lib/src/trainer/events';

describe('training view (static HTML)', () => {
  it('draws a run of 200,000 steps (more points than a call takes as arguments)', () => {
    const numSteps = 200_000;
    const events: TrainingEvent[] = [
      {
        type: 'start',
        wallTime: 0,
        backend: 'wasm',
        trainExamples: 1000,
        evalExamples: 100,
        batchSize: 10,
        numSteps,
        stepsPerEpoch: 100,
      },
    ];
    for (let step = 1; step <= numSteps; step++) {
      events.push({
        type: 'batch',
        step,
        epoch: Math.ceil(step / 100),
        wallTime: step / 1000,
        examples: step * 10,
        train: { loss: 1 / step, accuracy: 0.5, auc: 0.75 },
      });
    }
    const html = trainingHtml(trainingPayload(events, null, 'running'));
    assert.equal(html.match(/<svg /g)?.length, 3, 'one chart per tag');
    // The loss axis spans the values drawn: 1/200000 (shown as 0.000) up to 1.
    assert.match(html, />1\.000<\/text>/);
    assert.match(html, />step 200000<\/text>/);
  });
});
