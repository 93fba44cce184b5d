import { formatCount, formatMemorySize, formatShape, type ModelPayload } from '@tsfx/protocol';
import { escapeHtml } from './html';
import { artifactLine, artifactText, MUTED_STYLE, styledTable, textTable } from './format';

export { modelPayload } from './modelPayload';

/** Keras' three total lines: `Total params: 165 (660.00 B)`. */
export function paramLines(payload: ModelPayload): string[] {
  const p = payload.params;
  return [
    `Total params: ${formatCount(p.total)} (${formatMemorySize(p.totalBytes)})`,
    `Trainable params: ${formatCount(p.trainable)} (${formatMemorySize(p.trainableBytes)})`,
    `Non-trainable params: ${formatCount(p.nonTrainable)} (${formatMemorySize(p.nonTrainableBytes)})`,
  ];
}

const layerCells = (payload: ModelPayload): string[][] =>
  payload.layers.map((l) => [
    `${l.name} (${l.className})`,
    formatShape(l.outputShape),
    formatCount(l.params),
    l.inbound.join(', '),
  ]);

const totalBytes = (payload: ModelPayload): number =>
  payload.files.reduce((n, f) => n + f.bytes, 0);

const signatureLine = (payload: ModelPayload): string =>
  `${payload.inputs.length} raw features in → ${payload.signatures
    .find((s) => s.name === 'serving_default')
    ?.outputs.map((o) => o.name)
    .join(', ')} out`;

/** `summary()` as Keras prints it, the serving signature and the files. */
export function modelText(payload: ModelPayload): string {
  return [
    `Model: "${payload.name}" (${payload.className}), ${artifactText(payload.artifact)}`,
    textTable(['Layer (type)', 'Output Shape', 'Param #', 'Connected to'], layerCells(payload)),
    ...paramLines(payload),
    `Serving signature: ${signatureLine(payload)}`,
    textTable(
      ['input', 'type', 'dtype'],
      payload.inputs.map((i) => [i.name, i.type, i.dtype]),
    ),
    `Files (${formatCount(totalBytes(payload))} bytes):`,
    textTable(
      ['file', 'bytes'],
      payload.files.map((f) => [f.path, formatCount(f.bytes)]),
    ),
  ].join('\n');
}

export function modelHtml(payload: ModelPayload): string {
  const layers = styledTable(
    ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'],
    layerCells(payload).map(([layer, shape, params, inbound]) => [
      layer!,
      { html: `<code>${escapeHtml(shape)}</code>` },
      { html: escapeHtml(params), style: 'text-align:right' },
      inbound === '' ? { html: '', style: MUTED_STYLE } : inbound!,
    ]),
  );
  const inputs = styledTable(
    ['raw feature', 'type', 'dtype'],
    payload.inputs.map((i) => [i.name, i.type, i.dtype]),
    { caption: 'Serving signature inputs (every signature)' },
  );
  const outputs = styledTable(
    ['signature', 'method', 'output', 'dtype', 'shape'],
    payload.signatures.flatMap((s) =>
      s.outputs.map((o) => [
        s.name,
        s.method,
        o.name,
        o.dtype,
        `[batch${o.shape.map((d) => `, ${d}`).join('')}]`,
      ]),
    ),
    { caption: 'Serving signature outputs' },
  );
  const files = styledTable(
    ['file', 'bytes'],
    payload.files.map((f) => [f.path, { html: formatCount(f.bytes), style: 'text-align:right' }]),
    { caption: `Files on disk: ${formatCount(totalBytes(payload))} bytes` },
  );
  return `<div class="tsfx-model-fallback" style="font-family:sans-serif;font-size:12px">
<p><b>Model</b> "${escapeHtml(payload.name)}" (${escapeHtml(payload.className)}) ${artifactLine(payload.artifact)}</p>
${layers}
<p style="font-family:monospace">${paramLines(payload).map(escapeHtml).join('<br>')}</p>
${inputs}
${outputs}
${files}
</div>`;
}
