/// <reference lib="dom" />
// One process: jupyterlab-tsfx's evaluation view drawn in jsdom from the taxi evaluation
// (test/extension/fixtures/evaluation.json: 25 hour slices of metrics with a baseline, the
// plots of 25 slices), five times into the same host; then, as the peer it was chosen against,
// the same charts as vega-lite specs (the slice bars over the example counts, ROC and PR curves
// of candidate and baseline, the calibration plot), compiled by vega-lite and rendered to SVG by
// a vega View, five times. Prints both draw times (ms) as JSON.
import '../../test/extension/dom-globals';
import type { EvaluationPayload } from '@tsfx/protocol';
import { rendererFor, renderPayload } from '../../extension/src/registry';
import { fixture } from '../../test/extension/render-helpers';
import { newHost } from '../../test/extension/renderers/evaluation/helpers';

const DRAWS = 5;

/** The vega-lite specs of the charts the view draws, for the overall slice's plots. */
function vegaLiteSpecs(p: EvaluationPayload): object[] {
  const hours = p.slices.filter((s) => s.slicing === 'trip_start_hour' && s.suppressed === null);
  const bars = hours.map((s) => ({
    slice: s.name,
    auc: s.metrics.find((m) => m.name === 'auc')?.candidate,
    examples: s.exampleCount,
  }));
  const plots = p.plots.filter((x) => x.slice === 'Overall');
  const curve = (xKey: 'falsePositiveRate' | 'recall', yKey: 'recall' | 'precision') =>
    plots.flatMap((x) =>
      x.confusion[xKey].map((v, i) => ({ model: x.model, x: v, y: x.confusion[yKey][i] })),
    );
  const calibration = plots.flatMap((x) =>
    x.calibration.examples.flatMap((n, i) =>
      n > 0
        ? [
            {
              model: x.model,
              n,
              prediction: x.calibration.predictions[i]! / n,
              label: x.calibration.labels[i]! / n,
            },
          ]
        : [],
    ),
  );
  const line = (values: object[]) => ({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 190,
    height: 190,
    data: { values },
    mark: 'line',
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      color: { field: 'model', type: 'nominal' },
    },
  });
  return [
    {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      data: { values: bars },
      vconcat: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'slice', type: 'nominal' },
            y: { field: 'auc', type: 'quantitative' },
          },
        },
        {
          mark: 'bar',
          height: 44,
          encoding: {
            x: { field: 'slice', type: 'nominal' },
            y: { field: 'examples', type: 'quantitative' },
          },
        },
      ],
    },
    line(curve('falsePositiveRate', 'recall')),
    line(curve('recall', 'precision')),
    {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      width: 190,
      height: 190,
      data: { values: calibration },
      mark: 'circle',
      encoding: {
        x: { field: 'prediction', type: 'quantitative' },
        y: { field: 'label', type: 'quantitative' },
        size: { field: 'n', type: 'quantitative' },
        color: { field: 'model', type: 'nominal' },
      },
    },
  ];
}

async function main(): Promise<void> {
  const payload = fixture('evaluation.json') as EvaluationPayload;
  const host = newHost();
  const svgTimes: number[] = [];
  for (let k = 0; k < DRAWS; k++)
    svgTimes.push(renderPayload(rendererFor('evaluation'), host, payload));

  // vega's scenegraph asks for a canvas when it loads; jsdom has none (it draws SVG here).
  HTMLCanvasElement.prototype.getContext = () => null;
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const specs = vegaLiteSpecs(payload);
  const vegaTimes: number[] = [];
  for (let k = 0; k < DRAWS; k++) {
    const start = performance.now();
    for (const spec of specs) {
      const compiled = vegaLite.compile(spec as Parameters<typeof vegaLite.compile>[0]).spec;
      const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
      await view.toSVG();
      view.finalize();
    }
    vegaTimes.push(performance.now() - start);
  }
  console.log(JSON.stringify({ charts: specs.length, svgTimes, vegaTimes }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
