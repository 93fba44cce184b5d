/**
 * The lineage graph as the views draw it: a pipeline run again with caching on records a CACHED
 * execution per component per run, each reading and writing the same artifacts, so that a graph
 * of a few artifacts lists dozens of executions. Repeats collapse into one node with a count,
 * alike in the JupyterLab view and in the static export.
 */
import type { LineageNode, LineagePayload } from './payloads/lineage';

export interface LineageViewNode extends LineageNode {
  /** The node ids this node stands for: itself, then its collapsed repeats (oldest first). */
  ids: string[];
}

export interface LineageView {
  focus: string;
  nodes: LineageViewNode[];
  edges: LineagePayload['edges'];
}

/** `a12` → 12 (the number of an `a<id>`/`e<id>` node id), for ordering. */
const idNumber = (id: string): number => Number(id.slice(1)) || 0;

/**
 * Collapses cached executions of the same component that read and wrote the same artifacts into
 * the oldest of them (which keeps its id and properties; `ids` lists them all). The focus node,
 * executions that ran (not cached), and artifacts are never collapsed.
 */
export function collapseLineage(payload: LineagePayload): LineageView {
  const ends = new Map<string, { inputs: string[]; outputs: string[] }>();
  for (const e of payload.edges) {
    if (e.kind === 'input') endsOf(ends, e.target).inputs.push(e.source);
    else endsOf(ends, e.source).outputs.push(e.target);
  }
  const keyOf = (n: LineageNode): string | null => {
    if (n.kind !== 'execution' || !n.cached || n.id === payload.focus) return null;
    const x = ends.get(n.id) ?? { inputs: [], outputs: [] };
    return JSON.stringify([n.label, [...x.inputs].sort(), [...x.outputs].sort()]);
  };
  const keeper = new Map<string, LineageViewNode>();
  const into = new Map<string, string>();
  const nodes: LineageViewNode[] = [];
  for (const n of [...payload.nodes].sort(byKindThenId)) {
    const key = keyOf(n);
    const kept = key === null ? undefined : keeper.get(key);
    if (kept) {
      kept.ids.push(n.id);
      into.set(n.id, kept.id);
      continue;
    }
    const node: LineageViewNode = { ...n, ids: [n.id] };
    if (key !== null) keeper.set(key, node);
    nodes.push(node);
  }
  const order = new Map(payload.nodes.map((n, i) => [n.id, i]));
  nodes.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const seen = new Set<string>();
  const edges = payload.edges.flatMap((e) => {
    const edge = {
      ...e,
      source: into.get(e.source) ?? e.source,
      target: into.get(e.target) ?? e.target,
    };
    const key = `${edge.source}>${edge.target}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [edge];
  });
  return { focus: payload.focus, nodes, edges };
}

function endsOf(
  ends: Map<string, { inputs: string[]; outputs: string[] }>,
  id: string,
): { inputs: string[]; outputs: string[] } {
  let x = ends.get(id);
  if (!x) {
    x = { inputs: [], outputs: [] };
    ends.set(id, x);
  }
  return x;
}

const byKindThenId = (a: LineageNode, b: LineageNode): number =>
  a.kind === b.kind ? idNumber(a.id) - idNumber(b.id) : a.kind < b.kind ? -1 : 1;

/** How many executions a node stands for (1 unless repeats were collapsed into it). */
export const repeatCount = (node: LineageViewNode): number => node.ids.length;
