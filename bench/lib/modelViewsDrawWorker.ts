/// <reference lib="dom" />
// One process: jupyterlab-tsfx's model and transform graph views of the taxi fixtures, and the
// training view comparing four synthetic runs of 6,000 steps, drawn in jsdom five times each
// into the same host. Prints the draw times (ms) per view as JSON.
import '../../test/extension/dom-globals';
import { compareTrainingRuns } from '@tsfx/protocol';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import type { RenderedKind } from '../../extension/src/types';
import { fixture } from '../../test/extension/render-helpers';
import { newHost, syntheticRun } from '../../test/extension/renderers/training/helpers';

const DRAWS = 5;
const RUNS = 2;
const STEPS = 6000;

function times(kind: RenderedKind, payload: unknown): number[] {
  const host = newHost();
  const out: number[] = [];
  for (let k = 0; k < DRAWS; k++) out.push(renderPayload(rendererFor(kind), host, payload));
  return out;
}

const comparison = compareTrainingRuns(
  Array.from({ length: RUNS }, (_, i) => ({
    name: `Trainer #${i + 1}`,
    payload: syntheticRun(STEPS),
  })),
);
console.log(
  JSON.stringify({
    'model (taxi)': times('model', fixture('model.json')),
    'transform graph (taxi)': times('transformGraph', fixture('transform-graph.json')),
    [`training, ${RUNS} runs of ${STEPS.toLocaleString('en-US')} steps compared`]: times(
      'training',
      comparison,
    ),
  }),
);
