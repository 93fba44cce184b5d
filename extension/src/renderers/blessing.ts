/**
 * Blessing: a ModelBlessing's verdict (BLESSED in the theme's success colour, NOT BLESSED in its
 * error colour), the model and the baseline it was compared with, and the thresholds that failed.
 */
import { BLESSING_MIME_TYPE } from '@tsfx/protocol';
import type { BlessingPayload, ModelRef } from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, viewHeader } from '../dom.js';
import { artifactLine } from '../artifact.js';

/** A model as a definition row: `Model 12` and its uri, or `none`. */
export function modelRow(doc: Document, label: string, model: ModelRef | null): HTMLElement[] {
  return [
    h(doc, 'dt', undefined, label),
    h(
      doc,
      'dd',
      { class: 'tsfx-model-ref' },
      model === null ? 'none' : model.id === null ? '' : `Model #${model.id} `,
      model === null ? null : h(doc, 'code', undefined, model.uri),
    ),
  ];
}

function renderBlessing(host: HTMLElement, payload: BlessingPayload): void {
  const doc = host.ownerDocument;
  const verdict = payload.blessed ? 'BLESSED' : 'NOT BLESSED';
  const note = payload.missingThresholds
    ? 'no thresholds configured: a model is not blessed without validation'
    : payload.rubberStamp
      ? 'no baseline: change thresholds were skipped'
      : null;
  host.append(
    h(
      doc,
      'div',
      { class: 'tsfx-view tsfx-blessing' },
      viewHeader(doc, 'Model blessing', verdict),
      artifactLine(doc, payload.artifact),
      h(
        doc,
        'div',
        {
          class: `tsfx-eval-verdict tsfx-eval-verdict-${payload.blessed ? 'ok' : 'failed'}`,
          'data-blessed': payload.blessed,
        },
        verdict,
      ),
      note ? h(doc, 'div', { class: 'tsfx-subtitle' }, note) : null,
      h(
        doc,
        'dl',
        { class: 'tsfx-eval-facts' },
        ...modelRow(doc, 'model', payload.model),
        ...modelRow(doc, 'baseline', payload.baseline),
        h(doc, 'dt', undefined, 'evaluation'),
        h(
          doc,
          'dd',
          undefined,
          payload.evaluation === null
            ? 'unknown'
            : h(doc, 'code', undefined, payload.evaluation.uri),
        ),
      ),
      payload.failures.length > 0
        ? h(
            doc,
            'div',
            undefined,
            h(doc, 'div', { class: 'tsfx-eval-section-title' }, 'Failed thresholds'),
            h(
              doc,
              'ul',
              { class: 'tsfx-eval-failures' },
              ...payload.failures.map((f) =>
                h(doc, 'li', { 'data-metric': f.metric, 'data-slice': f.slice }, f.message),
              ),
            ),
          )
        : null,
    ),
  );
}

export const blessingRenderer: RendererSpec<'blessing'> = {
  kind: 'blessing',
  mimeType: BLESSING_MIME_TYPE,
  rootClass: 'tsfx-blessing',
  render: renderBlessing,
};
