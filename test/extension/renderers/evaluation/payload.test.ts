/// <reference lib="dom" />
// The model analysis payloads, checked by the protocol's validators before drawing: the
// fixtures pass, malformed payloads are refused with the path of the problem, and shown as an
// error box in JupyterLab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { EVALUATION_MIME_TYPE, PayloadError, parsePayload } from '@tsfx/protocol';
import { rendererFor } from '../../../../extension/src/registry';
import { TsfxRenderer } from '../../../../extension/src/widget';
import { renderLoggingErrors } from '../../render-helpers';
import { blessing, evaluation, history, pushedModel } from './helpers';

test('the fixtures are valid payloads of their kinds', () => {
  parsePayload('evaluation', evaluation());
  parsePayload('evaluation-history', history());
  parsePayload('blessing', blessing());
  parsePayload('pushed-model', pushedModel());
});

test('evaluation: malformed payloads are refused with the path of the problem', async () => {
  const nan = evaluation() as unknown as { slices: { metrics: Record<string, unknown>[] }[] };
  nan.slices[1]!.metrics[2]!['candidate'] = 'NaN';
  assert.throws(
    () => parsePayload('evaluation', nan),
    (e: unknown) =>
      e instanceof PayloadError && e.path === 'payload.slices[1].metrics[2].candidate',
  );
  const plots = evaluation() as unknown as { plots: { confusion: { thresholds: unknown[] } }[] };
  plots.plots[0]!.confusion.thresholds[3] = null;
  assert.throws(
    () => parsePayload('evaluation', plots),
    (e: unknown) =>
      e instanceof PayloadError && e.path === 'payload.plots[0].confusion.thresholds[3]',
  );
  const direction = evaluation() as unknown as { thresholds: { change: { direction: string } }[] };
  direction.thresholds[0]!.change.direction = 'UP';
  assert.throws(
    () => parsePayload('evaluation', direction),
    /payload\.thresholds\[0\]\.change\.direction should be one of/,
  );
  assert.throws(
    () => parsePayload('evaluation', { ...evaluation(), kind: 'training' }),
    /payload\.kind should be "evaluation"/,
  );
  assert.throws(
    () => parsePayload('blessing', { ...blessing(), blessed: 1 }),
    /payload\.blessed should be a boolean/,
  );
  assert.throws(
    () => parsePayload('pushed-model', { ...pushedModel(), version: 17 }),
    /payload\.version/,
  );
  assert.throws(
    () => parsePayload('evaluation-history', { ...history(), evaluations: [{}] }),
    /payload\.evaluations\[0\]\.artifact should be an object/,
  );

  const renderer = new TsfxRenderer(rendererFor('evaluation'));
  await renderLoggingErrors(renderer, EVALUATION_MIME_TYPE, { kind: 'evaluation', slices: 3 });
  assert.match(
    renderer.node.querySelector('.tsfx-error')?.textContent ?? '',
    /payload\.artifact should be an object/,
  );
});
