/**
 * Model: what TensorBoard's graph and Keras' `summary()` tell about a Model artifact, read from
 * its saved files. The layers in order with their output shapes, parameter counts and inbound
 * layers; Keras' total, trainable and non-trainable counts; a click on a layer shows its weights
 * and marks the layers it reads and that read it; the serving signature (raw features in with
 * their types, each signature's outputs); each file's size on disk.
 */
import { formatCount, formatMemorySize, formatShape } from '@tsfx/protocol';
import type { ModelPayload } from '@tsfx/protocol';
import { artifactLine } from '../../artifact.js';
import { h, tableHead, viewHeader } from '../../dom.js';
import { ModelViewModel } from './model.js';

function summary(payload: ModelPayload): string {
  const bytes = payload.files.reduce((n, f) => n + f.bytes, 0);
  return `"${payload.name}" · ${payload.className} · ${payload.layers.length} layers · ${formatCount(payload.params.total)} params · ${formatMemorySize(bytes)} on disk`;
}

function section(doc: Document, title: string, ...body: (Node | null)[]): HTMLElement {
  return h(
    doc,
    'section',
    { class: 'tsfx-model-section' },
    h(doc, 'h4', { class: 'tsfx-model-heading' }, title),
    ...body,
  );
}

/** Keras' summary table; each layer's name is a button that selects it. */
function layersTable(
  doc: Document,
  payload: ModelPayload,
  model: ModelViewModel,
  redraw: (focus: string) => void,
): HTMLElement {
  const wiring = model.wiring();
  const rows = payload.layers.map((layer) => {
    const role =
      wiring === null
        ? null
        : layer.name === wiring.layer.name
          ? 'tsfx-selected'
          : wiring.inbound.includes(layer.name)
            ? 'tsfx-model-inbound'
            : wiring.outbound.includes(layer.name)
              ? 'tsfx-model-outbound'
              : null;
    const button = h(
      doc,
      'button',
      {
        type: 'button',
        class: 'tsfx-model-layer-name',
        'aria-pressed': String(layer.name === model.selection),
        title: 'show its weights and wiring',
      },
      layer.name,
    );
    button.addEventListener('click', () => {
      model.toggle(layer.name);
      redraw(layer.name);
    });
    return h(
      doc,
      'tr',
      { class: role ?? undefined, 'data-layer': layer.name },
      h(
        doc,
        'td',
        undefined,
        button,
        h(doc, 'span', { class: 'tsfx-model-class' }, ` (${layer.className})`),
      ),
      h(doc, 'td', { class: 'tsfx-model-shape' }, formatShape(layer.outputShape)),
      h(doc, 'td', { class: 'tsfx-num' }, formatCount(layer.params)),
      h(doc, 'td', { class: 'tsfx-model-inbound-names' }, layer.inbound.join(', ')),
    );
  });
  return h(
    doc,
    'div',
    { class: 'tsfx-scroll' },
    h(
      doc,
      'table',
      { class: 'tsfx-table tsfx-model-layers' },
      tableHead(doc, ['Layer (type)', 'Output Shape', 'Param #', 'Connected to']),
      h(doc, 'tbody', undefined, ...rows),
    ),
  );
}

function totals(doc: Document, payload: ModelPayload): HTMLElement {
  const p = payload.params;
  const line = (label: string, count: number, bytes: number): HTMLElement =>
    h(
      doc,
      'div',
      { class: 'tsfx-model-total' },
      h(doc, 'span', { class: 'tsfx-model-total-label' }, `${label}: `),
      h(doc, 'span', { class: 'tsfx-num' }, `${formatCount(count)} (${formatMemorySize(bytes)})`),
    );
  return h(
    doc,
    'div',
    { class: 'tsfx-model-totals' },
    line('Total params', p.total, p.totalBytes),
    line('Trainable params', p.trainable, p.trainableBytes),
    line('Non-trainable params', p.nonTrainable, p.nonTrainableBytes),
  );
}

/** The selected layer's weights, activation and wiring. */
function layerDetails(doc: Document, model: ModelViewModel): HTMLElement | null {
  const wiring = model.wiring();
  if (!wiring) return null;
  const { layer, inbound, outbound } = wiring;
  const weights =
    layer.weights.length === 0
      ? h(doc, 'div', { class: 'tsfx-legend-hint' }, 'no weights')
      : h(
          doc,
          'table',
          { class: 'tsfx-table tsfx-model-weights' },
          tableHead(doc, ['weight', 'shape', 'dtype', 'params', 'trainable']),
          h(
            doc,
            'tbody',
            undefined,
            ...layer.weights.map((w) =>
              h(
                doc,
                'tr',
                undefined,
                h(doc, 'td', undefined, w.name),
                h(doc, 'td', undefined, `[${w.shape.join(', ')}]`),
                h(doc, 'td', undefined, w.dtype),
                h(
                  doc,
                  'td',
                  { class: 'tsfx-num' },
                  formatCount(w.shape.reduce((a, b) => a * b, 1)),
                ),
                h(doc, 'td', undefined, w.trainable ? 'yes' : 'no'),
              ),
            ),
          ),
        );
  const facts = [
    `${layer.className}`,
    layer.activation ? `activation ${layer.activation}` : null,
    `reads ${inbound.length > 0 ? inbound.join(', ') : 'the model input'}`,
    `read by ${outbound.length > 0 ? outbound.join(', ') : 'nothing (a model output)'}`,
  ].filter((f): f is string => f !== null);
  return h(
    doc,
    'div',
    { class: 'tsfx-model-details', 'data-layer': layer.name },
    h(doc, 'div', { class: 'tsfx-model-details-title' }, layer.name),
    h(doc, 'div', { class: 'tsfx-model-details-facts' }, facts.join(' · ')),
    weights,
  );
}

function signatureSection(doc: Document, payload: ModelPayload): HTMLElement {
  const inputs = h(
    doc,
    'table',
    { class: 'tsfx-table tsfx-model-inputs' },
    tableHead(doc, ['raw feature', 'type', 'dtype']),
    h(
      doc,
      'tbody',
      undefined,
      ...payload.inputs.map((i) =>
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'td', undefined, i.name),
          h(doc, 'td', undefined, i.type),
          h(doc, 'td', undefined, i.dtype),
        ),
      ),
    ),
  );
  const outputs = h(
    doc,
    'table',
    { class: 'tsfx-table tsfx-model-outputs' },
    tableHead(doc, ['signature', 'method', 'output', 'dtype', 'shape']),
    h(
      doc,
      'tbody',
      undefined,
      ...payload.signatures.flatMap((s) =>
        s.outputs.map((o) =>
          h(
            doc,
            'tr',
            undefined,
            h(doc, 'td', undefined, s.name),
            h(doc, 'td', undefined, s.method),
            h(doc, 'td', undefined, o.name),
            h(doc, 'td', undefined, o.dtype),
            h(doc, 'td', undefined, `[batch${o.shape.map((d) => `, ${d}`).join('')}]`),
          ),
        ),
      ),
    ),
  );
  return section(
    doc,
    `Serving signature: ${payload.inputs.length} raw features in, probability out`,
    h(doc, 'div', { class: 'tsfx-model-signature' }, inputs, outputs),
  );
}

function filesSection(doc: Document, payload: ModelPayload): HTMLElement {
  const total = payload.files.reduce((n, f) => n + f.bytes, 0);
  const rows = payload.files.map((f) =>
    h(
      doc,
      'tr',
      undefined,
      h(doc, 'td', undefined, f.path),
      h(doc, 'td', { class: 'tsfx-num' }, formatCount(f.bytes)),
      h(
        doc,
        'td',
        undefined,
        h(
          doc,
          'div',
          { class: 'tsfx-model-file-bar' },
          h(doc, 'div', {
            class: 'tsfx-model-file-fill',
            style: `width: ${total > 0 ? ((100 * f.bytes) / total).toFixed(1) : '0'}%`,
          }),
        ),
      ),
    ),
  );
  return section(
    doc,
    `Files: ${formatCount(total)} bytes (${formatMemorySize(total)})`,
    h(
      doc,
      'table',
      { class: 'tsfx-table tsfx-model-files' },
      tableHead(doc, ['file', 'bytes', 'share']),
      h(doc, 'tbody', undefined, ...rows),
    ),
  );
}

export function renderModel(host: HTMLElement, payload: ModelPayload): void {
  const doc = host.ownerDocument;
  const model = new ModelViewModel(payload);
  const layers = h(doc, 'div', { class: 'tsfx-model-summary' });
  const draw = (focus?: string): void => {
    layers.replaceChildren(
      layersTable(doc, payload, model, draw),
      totals(doc, payload),
      layerDetails(doc, model) ??
        h(doc, 'div', { class: 'tsfx-legend-hint' }, 'Click a layer for its weights and wiring.'),
    );
    // Drawn again after a click: the focus goes back to that layer's new button.
    if (focus === undefined) return;
    const row = [...layers.querySelectorAll('tr[data-layer]')].find(
      (tr) => tr.getAttribute('data-layer') === focus,
    );
    row?.querySelector<HTMLButtonElement>('.tsfx-model-layer-name')?.focus();
  };
  draw();
  host.append(
    h(
      doc,
      'div',
      { class: 'tsfx-view tsfx-model' },
      viewHeader(doc, 'Model', summary(payload)),
      artifactLine(doc, payload.artifact),
      section(
        doc,
        `Layers (Keras summary; generated by ${payload.generatedBy ?? 'unknown'})`,
        layers,
      ),
      signatureSection(doc, payload),
      filesSection(doc, payload),
    ),
  );
}
