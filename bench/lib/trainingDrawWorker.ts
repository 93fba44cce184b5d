/// <reference lib="dom" />
// One process: jupyterlab-tsfx's training view drawn in jsdom for a synthetic run of 6,000 steps
// (18,720 points), five times into the same host. Prints the draw times (ms) as JSON.
import '../../test/extension/dom-globals';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import { newHost, syntheticRun } from '../../test/extension/renderers/training/helpers';

const STEPS = 6000;
const DRAWS = 5;

const payload = syntheticRun(STEPS);
const points = payload.runs.reduce(
  (n, r) => n + r.series.reduce((m, s) => m + s.points.length, 0),
  0,
);
const host = newHost();
const times: number[] = [];
for (let k = 0; k < DRAWS; k++) times.push(renderPayload(rendererFor('training'), host, payload));
console.log(JSON.stringify({ steps: STEPS, points, times }));
