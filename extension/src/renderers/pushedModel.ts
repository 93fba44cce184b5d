/**
 * Pushed model: pushed or not (a model that was not blessed is not pushed), where to, which
 * version, and the model and blessing it came from.
 */
import { PUSHED_MODEL_MIME_TYPE } from '@tsfx/protocol';
import type { PushedModelPayload } from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, viewHeader } from '../dom.js';
import { artifactLine } from '../artifact.js';
import { modelRow } from './blessing.js';

function renderPushedModel(host: HTMLElement, payload: PushedModelPayload): void {
  const doc = host.ownerDocument;
  const verdict = payload.pushed ? `Pushed: version ${payload.version ?? '?'}` : 'Not pushed';
  host.append(
    h(
      doc,
      'div',
      { class: 'tsfx-view tsfx-pushed-model' },
      viewHeader(doc, 'Pushed model', verdict),
      artifactLine(doc, payload.artifact),
      h(
        doc,
        'div',
        {
          class: `tsfx-eval-verdict tsfx-eval-verdict-${payload.pushed ? 'ok' : 'failed'}`,
          'data-pushed': payload.pushed,
        },
        payload.pushed ? 'PUSHED' : 'NOT PUSHED: the model was not blessed',
      ),
      h(
        doc,
        'dl',
        { class: 'tsfx-eval-facts' },
        h(doc, 'dt', undefined, 'destination'),
        h(
          doc,
          'dd',
          undefined,
          payload.destination === null ? '—' : h(doc, 'code', undefined, payload.destination),
        ),
        h(doc, 'dt', undefined, 'version'),
        h(doc, 'dd', undefined, payload.version ?? '—'),
        ...modelRow(doc, 'model', payload.model),
        h(doc, 'dt', undefined, 'blessing'),
        h(
          doc,
          'dd',
          undefined,
          payload.blessing === null ? 'unknown' : h(doc, 'code', undefined, payload.blessing.uri),
        ),
      ),
    ),
  );
}

export const pushedModelRenderer: RendererSpec<'pushed-model'> = {
  kind: 'pushed-model',
  mimeType: PUSHED_MODEL_MIME_TYPE,
  rootClass: 'tsfx-pushed-model',
  render: renderPushedModel,
};
