/// <reference lib="dom" />
// The training payload, checked by the protocol's validator before drawing: malformed payloads rejected with the path of the problem, and
// shown as an error box in JupyterLab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import { rendererFor } from '../../../../extension/src/registry';
import { TsfxRenderer } from '../../../../extension/src/widget';
import { PayloadError, parsePayload } from '@tsfx/protocol';
import { renderLoggingErrors } from '../../render-helpers';
import { MIME, taxi } from './helpers';

test('training: malformed payloads are rejected with the path, and shown as an error box', async () => {
  const bad = taxi() as unknown as { runs: { series: { points: Record<string, unknown>[] }[] }[] };
  bad.runs[1]!.series[2]!.points[3]!['value'] = 'NaN';
  assert.throws(
    () => parsePayload('training', bad),
    (e: unknown) =>
      e instanceof PayloadError && e.path === 'payload.runs[1].series[2].points[3].value',
  );
  const status = { ...taxi(), status: 'paused' };
  assert.throws(
    () => parsePayload('training', status),
    /payload.status should be one of running, done, failed/,
  );
  assert.throws(
    () => parsePayload('training', { kind: 'lineage' }),
    /payload.kind should be "training"/,
  );
  const noProgress = { ...taxi(), progress: null };
  assert.throws(
    () => parsePayload('training', noProgress),
    /payload.progress should be an object, got null/,
  );

  const renderer = new TsfxRenderer(rendererFor('training'));
  await renderLoggingErrors(renderer, MIME, { kind: 'training', runs: 'x' });
  assert.match(
    renderer.node.querySelector('.tsfx-error')?.textContent ?? '',
    /payload.progress should be an object, got undefined/,
  );
});
