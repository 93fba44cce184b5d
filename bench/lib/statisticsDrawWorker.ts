/// <reference lib="dom" />
// One process: jupyterlab-tsfx's statistics view of the taxi fixture (train and eval compared,
// 18 features) drawn in jsdom, compact (the peer), then with "expand charts" ticked (the click
// redraws the tables with every chart expanded), in turns, five times each. Prints the times
// (ms) as JSON: `compact` (the draw), `expand` (the click alone), `expanded` (draw + click).
import '../../test/extension/dom-globals';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import { fixture } from '../../test/extension/render-helpers';
import { newHost } from '../../test/extension/renderers/training/helpers';

const DRAWS = 5;
const payload = fixture('statistics.json');
const spec = rendererFor('statistics');
const host = newHost();
const compact: number[] = [];
const expand: number[] = [];
const expanded: number[] = [];
for (let k = 0; k < DRAWS; k++) {
  compact.push(renderPayload(spec, host, payload));
  const drawn = renderPayload(spec, host, payload);
  const box = host.querySelector<HTMLInputElement>('input.tsfx-stats-expand');
  if (!box) throw new Error('no "expand charts" checkbox');
  const start = performance.now();
  box.click();
  const click = performance.now() - start;
  if (!host.querySelector('svg[data-expanded]')) throw new Error('no expanded chart drawn');
  expand.push(click);
  expanded.push(drawn + click);
}
console.log(JSON.stringify({ compact, expand, expanded }));
