import { TsfxError } from '../errors';
import {
  compileTransform,
  reachableNodes,
  type GraphNode,
  type GraphOutput,
  type LoadedTransformGraph,
  type RawRow,
  type TransformGraph,
  type Value,
} from './graph';
import type { PendingAnalyzer, TracedGraph } from './tft';

/** A source of rows that can be read several times (one full pass per analyzer phase). */
export type RowSource = () => AsyncIterable<RawRow[]>;

interface Accumulator {
  add(value: Value): void;
  /** Writes the analyzer's results into its node; returns the vocabulary, if any. */
  finish(node: GraphNode): string[] | null;
}

function numeric(value: Value, what: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number') throw new TsfxError(`${what} got the string ${value}`);
  return Number.isNaN(value) ? null : value;
}

/** An analyzer's result written into its node (the one rule, whichever path computed it). */
export function finishMeanAndStd(node: GraphNode, count: number, mean: number, std: number): void {
  if (node.op !== 'scaleToZScore') throw new Error('analyzer/node mismatch');
  node.mean = count > 0 ? mean : 0;
  node.std = count > 0 ? std : 0;
}

export function finishMinAndMax(node: GraphNode, min: number, max: number): void {
  if (node.op !== 'scaleToZeroOne') throw new Error('analyzer/node mismatch');
  node.min = Number.isFinite(min) ? min : 0;
  node.max = Number.isFinite(max) ? max : 0;
}

/** A value as a vocabulary token: strings as they are, numbers as JavaScript prints them. */
export function tokenOf(value: number | string): string {
  return typeof value === 'string' ? value : String(value);
}

/** Keeps the tokens seen `frequencyThreshold` times, most frequent first (ties: the greater token first, as TFT), the first topK. */
export function finishVocabulary(
  node: GraphNode,
  spec: Extract<PendingAnalyzer, { kind: 'vocabulary' }>,
  counts: ReadonlyMap<string, number>,
): string[] {
  if (node.op !== 'vocabulary') throw new Error('analyzer/node mismatch');
  const tokens = [...counts.entries()]
    .filter(([, n]) => n >= spec.frequencyThreshold)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
    .map(([token]) => token);
  const kept = spec.topK === null ? tokens : tokens.slice(0, spec.topK);
  node.size = kept.length;
  node.numValues = kept.length + node.numOovBuckets;
  return kept;
}

/**
 * The 1-based ranks of a k-quantile's boundaries among n sorted values: boundary i is the
 * (i/k)-quantile by the inverted CDF, the smallest value with at least ceil(i * n / k) values
 * <= it (integer arithmetic, no rounding). None when there are no values.
 */
export function quantileRanks(count: number, k: number): number[] {
  const ranks: number[] = [];
  if (count > 0) {
    for (let i = 1; i < k; i++) {
      const rank = Math.floor((i * count + k - 1) / k);
      ranks.push(Math.min(count, Math.max(1, rank)));
    }
  }
  return ranks;
}

export function finishQuantiles(node: GraphNode, k: number, boundaries: number[]): void {
  if (node.op !== 'applyBuckets') throw new Error('analyzer/node mismatch');
  node.boundaries = boundaries;
  node.numValues = k;
}

function accumulator(spec: PendingAnalyzer): Accumulator {
  switch (spec.kind) {
    case 'meanAndStd': {
      // Welford's running mean and sum of squared deviations: exact to rounding, one pass.
      let count = 0;
      let mean = 0;
      let m2 = 0;
      return {
        add(value) {
          const x = numeric(value, 'scaleToZScore');
          if (x === null) return;
          count++;
          const delta = x - mean;
          mean += delta / count;
          m2 += delta * (x - mean);
        },
        finish(node) {
          finishMeanAndStd(node, count, mean, count > 0 ? Math.sqrt(m2 / count) : 0);
          return null;
        },
      };
    }
    case 'minAndMax': {
      let min = Infinity;
      let max = -Infinity;
      return {
        add(value) {
          const x = numeric(value, 'scaleToZeroOne');
          if (x === null) return;
          if (x < min) min = x;
          if (x > max) max = x;
        },
        finish(node) {
          finishMinAndMax(node, min, max);
          return null;
        },
      };
    }
    case 'vocabulary': {
      const counts = new Map<string, number>();
      return {
        add(value) {
          if (value === null) return;
          const token = tokenOf(value);
          counts.set(token, (counts.get(token) ?? 0) + 1);
        },
        finish(node) {
          return finishVocabulary(node, spec, counts);
        },
      };
    }
    case 'quantiles': {
      let values = new Float64Array(1024);
      let count = 0;
      return {
        add(value) {
          const x = numeric(value, 'bucketize');
          if (x === null) return;
          if (count === values.length) {
            const grown = new Float64Array(values.length * 2);
            grown.set(values);
            values = grown;
          }
          values[count++] = x;
        },
        finish(node) {
          const sorted = values.subarray(0, count).sort();
          const ranks = quantileRanks(count, spec.numBuckets);
          finishQuantiles(
            node,
            spec.numBuckets,
            ranks.map((rank) => sorted[rank - 1]),
          );
          return null;
        },
      };
    }
  }
}

function argOf(node: GraphNode): number {
  if (!('x' in node)) throw new Error(`analyzer node ${node.op} has no input`);
  return node.x;
}

/** True when an analyzer node's input depends on a pending analyzer (the node itself excluded). */
function pendingAncestors(nodes: GraphNode[], pending: Set<number>, index: number): boolean {
  return reachableNodes(nodes, [argOf(nodes[index])]).some((i) => pending.has(i));
}

/** One analyzer a pass computes: its node, what it needs, and the node it reads. */
export interface ReadyAnalyzer {
  index: number;
  spec: PendingAnalyzer;
  arg: number;
}

/**
 * Computes one pass's analyzers over the analysis split and writes their results into `nodes`
 * (through the `finish…` functions); returns the vocabularies it made and the rows it read.
 * `partial` is the graph so far: its outputs `a<index>` are the analyzers' inputs.
 */
export type AnalysisPass = (
  partial: LoadedTransformGraph,
  ready: ReadyAnalyzer[],
  nodes: GraphNode[],
) => Promise<{ vocabularies: Record<string, string[]>; rows: number }>;

/**
 * Computes every analyzer of a traced graph with full passes over the analysis split: each pass
 * computes the analyzers whose inputs need no analyzer still pending, so an analyzer over another
 * analyzer's output takes a second pass. A pass runs row by row in JavaScript over `rows`, or
 * is `{ runPass }` (`sqlAnalysisPass` runs it in DuckDB). Returns the finished graph
 * (pruned to what the outputs read) and its vocabularies.
 */
export async function analyzeGraph(
  traced: TracedGraph,
  rows: RowSource | { runPass: AnalysisPass },
  onPass?: (pass: number, analyzers: number) => void,
): Promise<LoadedTransformGraph> {
  const runPass = typeof rows === 'function' ? javaScriptPass(rows) : rows.runPass;
  const nodes = traced.builder.nodes.map((n) => ({ ...n }) as GraphNode);
  const specs = traced.builder.pending;
  const pending = new Set(pruneIndices(nodes, traced.outputs).filter((i) => specs.has(i)));
  const vocabularies: Record<string, string[]> = {};
  let analyzedRows = 0;
  let pass = 0;
  while (pending.size > 0) {
    const ready = [...pending].filter((i) => !pendingAncestors(nodes, pending, i));
    pass++;
    onPass?.(pass, ready.length);
    const partial: LoadedTransformGraph = {
      graph: {
        format: 'tsfx.transform_graph',
        version: 1,
        rawFeatures: traced.rawFeatures,
        nodes,
        outputs: ready.map((i) => ({ name: `a${i}`, node: argOf(nodes[i]), type: nodes[i].type })),
        analyzedRows: 0,
      },
      vocabularies,
    };
    const result = await runPass(
      partial,
      ready.map((i) => ({ index: i, spec: specs.get(i)!, arg: argOf(nodes[i]) })),
      nodes,
    );
    Object.assign(vocabularies, result.vocabularies);
    analyzedRows = result.rows;
    for (const i of ready) pending.delete(i);
  }
  return pruneGraph(
    {
      format: 'tsfx.transform_graph',
      version: 1,
      rawFeatures: traced.rawFeatures,
      nodes,
      outputs: traced.outputs,
      analyzedRows,
    },
    vocabularies,
  );
}

/** A pass row by row: the partial graph applied to every row, each analyzer's accumulator fed. */
function javaScriptPass(rows: RowSource): AnalysisPass {
  return async (partial, ready, nodes) => {
    const fn = compileTransform(partial);
    const accumulators = ready.map((r) => accumulator(r.spec));
    const keys = ready.map((r) => `a${r.index}`);
    let count = 0;
    for await (const chunk of rows()) {
      for (const row of chunk) {
        const values = fn.apply(row);
        for (let k = 0; k < keys.length; k++) accumulators[k].add(values[keys[k]]);
      }
      count += chunk.length;
    }
    const vocabularies: Record<string, string[]> = {};
    ready.forEach((r, k) => {
      const node = nodes[r.index];
      const vocabulary = accumulators[k].finish(node);
      if (vocabulary && node.op === 'vocabulary') vocabularies[node.vocabularyFile] = vocabulary;
    });
    return { vocabularies, rows: count };
  };
}

/** Node indices the outputs read. */
function pruneIndices(nodes: GraphNode[], outputs: GraphOutput[]): number[] {
  return reachableNodes(
    nodes,
    outputs.map((o) => o.node),
  );
}

/** Drops nodes no output reads and renumbers the rest; output types and domains from their nodes. */
function pruneGraph(
  graph: TransformGraph,
  vocabularies: Record<string, string[]>,
): LoadedTransformGraph {
  const keep = pruneIndices(graph.nodes, graph.outputs);
  const renumber = new Map(keep.map((old, i) => [old, i]));
  const map = (i: number): number => renumber.get(i)!;
  const nodes = keep.map((old): GraphNode => {
    const node = { ...graph.nodes[old] } as GraphNode;
    if (node.numValues === undefined) delete node.numValues;
    switch (node.op) {
      case 'input':
      case 'constant':
        return node;
      case 'cross':
        return { ...node, xs: node.xs.map(map) };
      case 'binary':
        return { ...node, a: map(node.a), b: map(node.b) };
      case 'where':
        return { ...node, cond: map(node.cond), a: map(node.a), b: map(node.b) };
      default:
        return { ...node, x: map(node.x) };
    }
  });
  refreshDomains(nodes);
  const used = new Set(nodes.flatMap((n) => (n.op === 'input' ? [n.feature] : [])));
  const outputs = graph.outputs.map((o): GraphOutput => {
    const node = nodes[map(o.node)];
    const output: GraphOutput = { name: o.name, node: map(o.node), type: node.type };
    if (node.numValues !== undefined) output.numValues = node.numValues;
    return output;
  });
  const kept = new Set(nodes.flatMap((n) => (n.op === 'vocabulary' ? [n.vocabularyFile] : [])));
  return {
    graph: {
      ...graph,
      rawFeatures: graph.rawFeatures.filter((f) => used.has(f.name)),
      nodes,
      outputs,
    },
    vocabularies: Object.fromEntries(Object.entries(vocabularies).filter(([k]) => kept.has(k))),
  };
}

/** Domains that depend on analyzer results (a vocabulary's size) carried through later nodes. */
function refreshDomains(nodes: GraphNode[]): void {
  const domain = (i: number): number | undefined => {
    const node = nodes[i];
    if (node.op === 'constant' && typeof node.value === 'number') {
      return Number.isInteger(node.value) && node.value >= 0 ? node.value + 1 : undefined;
    }
    return node.numValues;
  };
  for (const node of nodes) {
    if (node.op === 'fillInMissing') {
      const inner = domain(node.x);
      const { value } = node;
      if (inner !== undefined && typeof value === 'number' && Number.isInteger(value) && value >= 0)
        node.numValues = Math.max(inner, value + 1);
    } else if (node.op === 'where' && node.type === 'INT') {
      const a = domain(node.a);
      const b = domain(node.b);
      if (a !== undefined && b !== undefined) node.numValues = Math.max(a, b);
    }
  }
}
