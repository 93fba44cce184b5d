/// <reference lib="dom" />
// The JupyterLab extension module: one mime renderer extension per registered renderer, whose
// renderer draws the payload of a mime model (and records its draw time).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import './dom-globals';
import extensions, { RENDER_MEASURE_PREFIX } from '../../extension/src/index';
import { fixture, mimeModel, renderLoggingErrors } from './render-helpers';

test('the default export is one safe mime renderer extension per artifact kind', () => {
  assert.deepEqual(
    extensions.map((e) => [e.id, e.rendererFactory.mimeTypes, e.rendererFactory.safe]),
    [
      ['jupyterlab-tsfx:examples', ['application/vnd.tsfx.examples+json'], true],
      ['jupyterlab-tsfx:statistics', ['application/vnd.tsfx.statistics+json'], true],
      ['jupyterlab-tsfx:schema', ['application/vnd.tsfx.schema+json'], true],
      ['jupyterlab-tsfx:anomalies', ['application/vnd.tsfx.anomalies+json'], true],
      ['jupyterlab-tsfx:lineage', ['application/vnd.tsfx.lineage+json'], true],
      ['jupyterlab-tsfx:training', ['application/vnd.tsfx.training+json'], true],
      ['jupyterlab-tsfx:model', ['application/vnd.tsfx.model+json'], true],
      ['jupyterlab-tsfx:transformGraph', ['application/vnd.tsfx.transform-graph+json'], true],
      ['jupyterlab-tsfx:evaluation', ['application/vnd.tsfx.evaluation+json'], true],
      [
        'jupyterlab-tsfx:evaluation-history',
        ['application/vnd.tsfx.evaluation-history+json'],
        true,
      ],
      ['jupyterlab-tsfx:blessing', ['application/vnd.tsfx.blessing+json'], true],
      ['jupyterlab-tsfx:pushed-model', ['application/vnd.tsfx.pushed-model+json'], true],
    ],
  );
});

test('a renderer draws its payload and records a performance measure', async () => {
  const [examples] = extensions;
  const renderer = examples!.rendererFactory.createRenderer({
    mimeType: 'application/vnd.tsfx.examples+json',
    sanitizer: { sanitize: (s: string) => s },
    resolver: null,
    linkHandler: null,
    latexTypesetter: null,
  } as unknown as IRenderMime.IRendererOptions);
  await renderer.renderModel(
    mimeModel('application/vnd.tsfx.examples+json', fixture('examples.json')),
  );
  assert.ok(renderer.node.classList.contains('tsfx-output'));
  assert.ok(renderer.node.querySelector('.tsfx-examples table tbody tr'));
  const measures = performance.getEntriesByName(`${RENDER_MEASURE_PREFIX}examples`);
  assert.equal(measures.length, 1);
  assert.ok(measures[0]!.duration >= 0);
});

test('a malformed payload is drawn as an error box and reported on the console', async () => {
  const lineage = extensions.find((e) => e.id === 'jupyterlab-tsfx:lineage')!;
  const renderer = lineage.rendererFactory.createRenderer({
    mimeType: 'application/vnd.tsfx.lineage+json',
  } as unknown as IRenderMime.IRendererOptions);
  const logged = await renderLoggingErrors(renderer, 'application/vnd.tsfx.lineage+json', {
    kind: 'lineage',
    nodes: [],
  });
  assert.match(
    renderer.node.querySelector('.tsfx-error')?.textContent ?? '',
    /payload.edges should be an array, got undefined/,
  );
  assert.equal(logged.length, 1);
});
