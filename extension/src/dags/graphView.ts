/**
 * A DAG's graph, left to right (dagre, as the lineage view), each task's outline in Airflow's
 * colour of its state in the selected run. Clicking a task selects it.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import { STATE_COLORS, type Task, type TaskInstance } from '@tsfx/protocol';
import { r1, s } from '../dom.js';

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 40;
const MIN_WIDTH = 90;

export interface DagLayout {
  width: number;
  height: number;
  nodes: { task: Task; x: number; y: number; width: number; height: number }[];
  edges: { points: { x: number; y: number }[] }[];
}

export function layoutDag(tasks: readonly Task[]): DagLayout {
  if (tasks.length === 0) return { width: 0, height: 0, nodes: [], edges: [] };
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const task of tasks) {
    const chars = Math.max(task.task_id.length, task.class_ref.class_name.length);
    g.setNode(task.task_id, {
      width: Math.max(MIN_WIDTH, Math.ceil(chars * CHAR_WIDTH) + 20),
      height: NODE_HEIGHT,
    });
  }
  for (const task of tasks)
    for (const down of task.downstream_task_ids) g.setEdge(task.task_id, down);
  layout(g);
  const graph = g.graph();
  return {
    width: graph.width ?? 0,
    height: graph.height ?? 0,
    nodes: tasks.map((task) => {
      const n = g.node(task.task_id);
      return { task, x: n.x ?? 0, y: n.y ?? 0, width: n.width, height: n.height };
    }),
    edges: g.edges().map((e) => ({ points: g.edge(e).points ?? [] })),
  };
}

/** The state colour of a task instance (`none` when it has no state yet). */
export function stateColor(ti: TaskInstance | null | undefined): string {
  return STATE_COLORS[ti?.state ?? 'none'];
}

export function drawGraph(
  doc: Document,
  tasks: readonly Task[],
  instances: readonly TaskInstance[],
  selected: string | null,
  onSelect: (taskId: string) => void,
): SVGSVGElement {
  const placed = layoutDag(tasks);
  const svg = s(doc, 'svg', {
    class: 'tsfx-dag-graph',
    width: r1(placed.width),
    height: r1(placed.height),
    viewBox: `0 0 ${r1(placed.width)} ${r1(placed.height)}`,
    role: 'group',
    'aria-label': 'DAG graph',
  });
  for (const edge of placed.edges) {
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(p.x)},${r1(p.y)}`).join('');
    svg.append(s(doc, 'path', { class: 'tsfx-dag-edge', d }));
  }
  for (const node of placed.nodes) {
    const ti = instances.find((i) => i.task_id === node.task.task_id);
    const state = ti?.state ?? 'none';
    const group = s(doc, 'g', {
      class: `tsfx-dag-node${node.task.task_id === selected ? ' tsfx-selected' : ''}`,
      'data-task-id': node.task.task_id,
      'data-state': state,
      transform: `translate(${r1(node.x - node.width / 2)},${r1(node.y - node.height / 2)})`,
      tabindex: 0,
      role: 'button',
    });
    group.append(
      s(doc, 'rect', {
        width: r1(node.width),
        height: r1(node.height),
        rx: 4,
        stroke: stateColor(ti),
        'stroke-width': 3,
      }),
      s(doc, 'text', { x: 8, y: 16, class: 'tsfx-dag-node-id' }, node.task.task_id),
      // The second line: the component type when the id is not it, and whether it was cached.
      s(doc, 'text', { x: 8, y: 31, class: 'tsfx-dag-node-type' }, subtitle(node.task, ti)),
      s(doc, 'title', undefined, `${node.task.task_id}: ${state}`),
    );
    group.addEventListener('click', () => onSelect(node.task.task_id));
    group.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') onSelect(node.task.task_id);
    });
    svg.append(group);
  }
  return svg;
}

function subtitle(task: Task, ti: TaskInstance | undefined): string {
  const type = task.class_ref.class_name === task.task_id ? '' : task.class_ref.class_name;
  const parts = [type, ti?.tsfx.cached ? 'cached' : '', ti?.state ?? ''].filter(Boolean);
  return parts.join(' · ');
}
