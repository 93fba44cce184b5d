/**
 * Transform graph: the nodes of a TransformGraph artifact in evaluation order, each with the
 * nodes it reads, the analyzer that computed its values (mean and standard deviation, min and
 * max, quantile boundaries), a vocabulary's size and most frequent tokens, its type and the
 * transformed features it gives. A checkbox keeps only the analyzed nodes.
 */
import { formatCount, formatNumber } from '@tsfx/protocol';
import type { TransformGraphPayload, TransformNode } from '@tsfx/protocol';
import { artifactLine } from '../../artifact.js';
import { h, tableHead, uniqueId, viewHeader } from '../../dom.js';
import type { Child } from '../../dom.js';
import { TransformGraphViewModel } from './model.js';

/** Boundaries beyond this many fold into a <details>. */
export const BOUNDARIES_SHOWN = 6;

function paramValue(doc: Document, name: string, value: number | string | number[]): Child {
  if (!Array.isArray(value)) {
    return h(
      doc,
      'span',
      { class: 'tsfx-tg-param', 'data-param': name },
      `${name} `,
      h(
        doc,
        'b',
        undefined,
        typeof value === 'number' ? formatNumber(value) : JSON.stringify(value),
      ),
    );
  }
  const items = value.map((v) => formatNumber(v));
  const text = `[${items.join(', ')}]`;
  if (value.length <= BOUNDARIES_SHOWN) {
    return h(
      doc,
      'span',
      { class: 'tsfx-tg-param', 'data-param': name },
      `${name} `,
      h(doc, 'b', undefined, text),
    );
  }
  return h(
    doc,
    'details',
    { class: 'tsfx-tg-param', 'data-param': name },
    h(
      doc,
      'summary',
      undefined,
      `${name}: ${value.length} values, ${items[0]} … ${items[items.length - 1]}`,
    ),
    h(doc, 'code', { class: 'tsfx-tg-list' }, text),
  );
}

function vocabularyCell(doc: Document, node: TransformNode): Child {
  const v = node.vocabulary;
  if (!v) return null;
  return h(
    doc,
    'div',
    { class: 'tsfx-tg-vocabulary' },
    h(doc, 'span', undefined, `${v.file}: ${formatCount(v.size)} tokens; top `),
    ...v.top.map((t) => h(doc, 'code', { class: 'tsfx-domain-value' }, JSON.stringify(t))),
  );
}

function nodeRow(doc: Document, node: TransformNode): HTMLTableRowElement {
  const what = node.feature !== null ? `input ${node.feature}` : node.op;
  return h(
    doc,
    'tr',
    { 'data-node': node.index, class: node.analyzer !== null ? 'tsfx-tg-analyzed' : undefined },
    h(doc, 'td', { class: 'tsfx-num' }, String(node.index)),
    h(doc, 'td', { class: 'tsfx-tg-op' }, what),
    h(doc, 'td', undefined, node.args.map((a) => `#${a}`).join(', ')),
    h(doc, 'td', { class: 'tsfx-tg-analyzer' }, node.analyzer ?? ''),
    h(
      doc,
      'td',
      { class: 'tsfx-tg-values' },
      ...node.params.map((p) => paramValue(doc, p.name, p.value)),
      vocabularyCell(doc, node),
    ),
    h(doc, 'td', undefined, node.type + (node.numValues === null ? '' : ` [0, ${node.numValues})`)),
    h(doc, 'td', { class: 'tsfx-tg-outputs' }, node.outputs.join(', ')),
  );
}

function summary(payload: TransformGraphPayload): string {
  const analyzers = payload.nodes.filter((n) => n.analyzer !== null).length;
  return `${payload.nodes.length} nodes · ${analyzers} analyzers over ${formatCount(payload.analyzedRows)} rows · ${payload.rawFeatures.length} raw features in · ${payload.outputs.length} outputs`;
}

export function renderTransformGraph(host: HTMLElement, payload: TransformGraphPayload): void {
  const doc = host.ownerDocument;
  const model = new TransformGraphViewModel(payload);
  const body = h(doc, 'tbody');
  const draw = (): void => {
    body.replaceChildren(...model.nodes().map((node) => nodeRow(doc, node)));
  };
  const id = uniqueId('tg-analyzers');
  const only = h(doc, 'input', { id, type: 'checkbox', class: 'tsfx-tg-analyzers-only' });
  only.addEventListener('change', () => {
    model.analyzersOnly = only.checked;
    draw();
  });
  draw();
  host.append(
    h(
      doc,
      'div',
      { class: 'tsfx-view tsfx-transformGraph' },
      viewHeader(doc, 'Transform graph', summary(payload)),
      artifactLine(doc, payload.artifact),
      h(
        doc,
        'div',
        { class: 'tsfx-tg-raw' },
        h(doc, 'span', { class: 'tsfx-legend-hint' }, 'Raw features: '),
        ...payload.rawFeatures.map((f) =>
          h(doc, 'code', { class: 'tsfx-domain-value', title: f.type }, `${f.name}: ${f.type}`),
        ),
      ),
      h(
        doc,
        'div',
        { class: 'tsfx-tg-controls' },
        only,
        h(doc, 'label', { for: id }, ' Only nodes with analyzer values'),
      ),
      h(
        doc,
        'div',
        { class: 'tsfx-scroll tsfx-tg-scroll' },
        h(
          doc,
          'table',
          { class: 'tsfx-table tsfx-tg-nodes' },
          tableHead(doc, ['#', 'op', 'reads', 'analyzer', 'values', 'type', 'outputs']),
          body,
        ),
      ),
    ),
  );
}
