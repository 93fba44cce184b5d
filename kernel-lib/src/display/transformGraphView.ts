import { formatCount, formatNumber, type TransformGraphPayload } from '@tsfx/protocol';
import type { ArtifactRecord } from '../metadata/types';
import { argsOf, type GraphNode } from '../transform/graph';
import { loadTransformGraph } from '../transform/io';
import { artifactRef } from './examplesView';
import { escapeHtml } from './html';
import { artifactLine, artifactText, MUTED_STYLE, styledTable, textTable } from './format';

/** How many of a vocabulary's most frequent tokens the view carries. */
export const TOP_TOKENS = 10;

/**
 * The TensorFlow Transform analyzer whose values over the data a node holds: z-scores and 0-1
 * scaling always come from one, buckets only from `bucketize` (`applyBuckets` may be given fixed
 * boundaries).
 */
function analyzerOf(node: GraphNode): string | null {
  switch (node.op) {
    case 'scaleToZScore':
      return 'mean_and_var';
    case 'scaleToZeroOne':
      return 'min_and_max';
    case 'vocabulary':
      return 'vocabulary';
    case 'applyBuckets':
      return node.analyzer === 'bucketize' ? 'quantiles' : (node.analyzer ?? null);
    default:
      return node.analyzer ?? null;
  }
}

/** A node's fields that are its wiring or typing, not its parameters. */
const NOT_PARAMS = new Set([
  'op',
  'fn',
  'type',
  'numValues',
  'analyzer',
  'x',
  'a',
  'b',
  'cond',
  'xs',
  'feature',
  'vocabularyFile',
]);

/**
 * The transform graph payload, from the files the Transform wrote: `transform_graph.json` (the
 * nodes with their analyzer values) and `vocabularies/` (checked against the graph on load).
 */
export function transformGraphPayload(
  artifact: ArtifactRecord,
  producer: string | null,
): TransformGraphPayload {
  const { graph, vocabularies } = loadTransformGraph(artifact.uri);
  return {
    kind: 'transformGraph',
    artifact: artifactRef(artifact, producer),
    analyzedRows: graph.analyzedRows,
    rawFeatures: graph.rawFeatures.map((f) => ({ name: f.name, type: f.type })),
    nodes: graph.nodes.map((node, index) => ({
      index,
      op: node.op === 'unary' || node.op === 'binary' ? node.fn : node.op,
      type: node.type,
      args: argsOf(node),
      feature: node.op === 'input' ? node.feature : null,
      analyzer: analyzerOf(node),
      params: Object.entries(node)
        .filter(([key]) => !NOT_PARAMS.has(key))
        .map(([name, value]) => ({ name, value: value as number | string | number[] })),
      numValues: node.numValues ?? null,
      outputs: graph.outputs.filter((o) => o.node === index).map((o) => o.name),
      vocabulary:
        node.op === 'vocabulary'
          ? {
              file: node.vocabularyFile,
              size: node.size,
              top: (vocabularies[node.vocabularyFile] ?? []).slice(0, TOP_TOKENS),
            }
          : null,
    })),
    outputs: graph.outputs.map((o) => ({
      name: o.name,
      node: o.node,
      type: o.type,
      numValues: o.numValues ?? null,
    })),
  };
}

/** A parameter as the fallbacks show it: numbers to 6 significant digits, lists in brackets. */
function paramText(value: number | string | number[]): string {
  if (Array.isArray(value)) return `[${value.map((v) => formatNumber(v)).join(', ')}]`;
  return typeof value === 'number' ? formatNumber(value) : JSON.stringify(value);
}

function nodeRow(node: TransformGraphPayload['nodes'][number]): string[] {
  const what = node.feature !== null ? `input ${node.feature}` : node.op;
  const params = node.params.map((p) => `${p.name}=${paramText(p.value)}`);
  if (node.vocabulary)
    params.push(`top: ${node.vocabulary.top.map((t) => JSON.stringify(t)).join(', ')}`);
  return [
    String(node.index),
    what,
    node.args.map((a) => `#${a}`).join(', '),
    node.analyzer ?? '',
    params.join('; '),
    node.type + (node.numValues === null ? '' : ` [0, ${node.numValues})`),
    node.outputs.join(', '),
  ];
}

const HEADERS = ['#', 'op', 'reads', 'analyzer', 'values', 'type', 'outputs'];

function summary(payload: TransformGraphPayload): string {
  const analyzers = payload.nodes.filter((n) => n.analyzer !== null).length;
  return `${payload.nodes.length} nodes (${analyzers} analyzers over ${formatCount(payload.analyzedRows)} rows), ${payload.rawFeatures.length} raw features in, ${payload.outputs.length} outputs`;
}

export function transformGraphText(payload: TransformGraphPayload): string {
  return [
    `TransformGraph ${artifactText(payload.artifact)}: ${summary(payload)}`,
    textTable(HEADERS, payload.nodes.map(nodeRow)),
  ].join('\n');
}

export function transformGraphHtml(payload: TransformGraphPayload): string {
  const rows = payload.nodes.map((node) =>
    nodeRow(node).map((cell, i) =>
      i === 4 && cell.length > 0
        ? {
            html: `<code>${escapeHtml(cell)}</code>`,
            style: 'max-width:48em;word-break:break-word',
          }
        : cell === ''
          ? { html: '', style: MUTED_STYLE }
          : cell,
    ),
  );
  return `<div class="tsfx-transform-graph-fallback" style="font-family:sans-serif;font-size:12px">
<p><b>TransformGraph</b> ${artifactLine(payload.artifact)}: ${escapeHtml(summary(payload))}</p>
${styledTable(HEADERS, rows)}
</div>`;
}
