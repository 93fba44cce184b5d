/**
 * Lineage: the graph of artifacts and executions around one artifact, laid out left to right
 * with dagre and drawn as SVG. Executions that reused cached outputs are marked. Clicking (or
 * Enter/Space on) a node shows its properties next to the graph.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import { collapseLineage, LINEAGE_MIME_TYPE, repeatCount } from '@tsfx/protocol';
import type { LineageViewNode, LineagePayload } from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, r1, s, uniqueId, valueClass, viewHeader } from '../dom.js';
import { formatValue } from '@tsfx/protocol';
import { PanZoom } from './panZoom.js';

/** Layout constants. Text width is estimated (not measured) so the drawing is deterministic. */
const CHAR_WIDTH = 7.2;
/** The node label's font size (style/lineage.css), and the smallest it may be drawn at. */
const LABEL_PX = 12;
const LEGIBLE_PX = 11;
const MAX_VIEW_HEIGHT = 480;
const NODE_HEIGHT = 44;
const MIN_WIDTH = 96;
const MARGIN = 12;

export interface PlacedNode {
  node: LineageViewNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: {
    source: string;
    target: string;
    kind: 'input' | 'output';
    points: { x: number; y: number }[];
  }[];
}

/** The node's second line: its id, state and how many executions it stands for. */
function stateText(node: LineageViewNode): string {
  const state =
    node.cached && node.state.toUpperCase() !== 'CACHED' ? `${node.state} · cached` : node.state;
  const count = repeatCount(node);
  return `#${node.id.slice(1)} · ${state}${count > 1 ? ` ×${count}` : ''}`;
}

/** Lays out the graph with its cached repeats collapsed (see collapseLineage). */
export function layoutLineage(raw: LineagePayload): LineageLayout {
  const payload = collapseLineage(raw);
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 48, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of payload.nodes) {
    const chars = Math.max(node.label.length, stateText(node).length);
    g.setNode(node.id, {
      width: Math.max(MIN_WIDTH, Math.ceil(chars * CHAR_WIDTH) + 24),
      height: NODE_HEIGHT,
    });
  }
  for (const edge of payload.edges) g.setEdge(edge.source, edge.target);
  layout(g);
  const graph = g.graph();
  const nodes = payload.nodes.map((node) => {
    const n = g.node(node.id);
    return { node, x: n.x ?? 0, y: n.y ?? 0, width: n.width, height: n.height };
  });
  const edges = payload.edges.map((e) => ({
    ...e,
    points: (g.edge(e.source, e.target).points ?? []).map((p) => ({ x: p.x, y: p.y })),
  }));
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}

function edgePath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (!first) return '';
  if (rest.length < 2)
    return `M${r1(first.x)},${r1(first.y)}` + rest.map((p) => `L${r1(p.x)},${r1(p.y)}`).join('');
  // Smooth the dagre polyline: quadratic segments through the midpoints of its legs.
  let d = `M${r1(first.x)},${r1(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const c = rest[i]!;
    const n = rest[i + 1]!;
    const mid = i === rest.length - 2 ? n : { x: (c.x + n.x) / 2, y: (c.y + n.y) / 2 };
    d += `Q${r1(c.x)},${r1(c.y)} ${r1(mid.x)},${r1(mid.y)}`;
  }
  return d;
}

/** A property row of the details table. */
function propertyRow(doc: Document, key: string, v: string | number | boolean | null): HTMLElement {
  return h(
    doc,
    'tr',
    undefined,
    h(doc, 'th', { scope: 'row' }, key),
    h(doc, 'td', { class: valueClass(v) }, formatValue(v)),
  );
}

function detailsPanel(doc: Document, node: LineageViewNode): HTMLElement[] {
  const keys = Object.keys(node.properties).sort();
  const repeats = node.ids.length > 1;
  return [
    h(
      doc,
      'div',
      { class: 'tsfx-details-title' },
      h(doc, 'span', { class: `tsfx-kind tsfx-kind-${node.kind}` }, node.kind),
      h(doc, 'span', { class: 'tsfx-details-label' }, node.label),
      h(doc, 'span', { class: 'tsfx-details-id' }, node.id),
    ),
    h(
      doc,
      'table',
      { class: 'tsfx-table tsfx-properties' },
      h(
        doc,
        'tbody',
        undefined,
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'th', { scope: 'row' }, 'state'),
          h(doc, 'td', undefined, node.state),
        ),
        h(
          doc,
          'tr',
          undefined,
          h(doc, 'th', { scope: 'row' }, 'cached'),
          h(doc, 'td', undefined, String(node.cached)),
        ),
        repeats ? propertyRow(doc, 'executions', node.ids.length) : null,
        repeats ? propertyRow(doc, 'ids', node.ids.map((id) => id.slice(1)).join(', ')) : null,
        ...keys.map((k) => propertyRow(doc, k, node.properties[k] ?? null)),
      ),
    ),
  ];
}

export function renderLineage(host: HTMLElement, payload: LineagePayload): void {
  const doc = host.ownerDocument;
  const placed = layoutLineage(payload);
  const arrowId = uniqueId('lineage-arrow');
  const width = Math.ceil(placed.width);
  const height = Math.ceil(placed.height);

  // The SVG fills the output's width; the drawing in `zoom` is scaled and moved (PanZoom).
  const svg = s(doc, 'svg', {
    class: 'tsfx-lineage-svg',
    width: '100%',
    height: Math.min(height, MAX_VIEW_HEIGHT),
    role: 'group',
    'aria-label': 'Lineage graph',
    'data-width': width,
    'data-height': height,
  });
  const zoom = s(doc, 'g', { class: 'tsfx-lineage-zoom' });
  svg.append(
    s(
      doc,
      'defs',
      undefined,
      s(
        doc,
        'marker',
        {
          id: arrowId,
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s(doc, 'path', { class: 'tsfx-arrow', d: 'M0,0L10,5L0,10z' }),
      ),
    ),
  );
  const edgeGroup = s(doc, 'g', { class: 'tsfx-edges' });
  for (const e of placed.edges) {
    edgeGroup.append(
      s(doc, 'path', {
        class: `tsfx-edge tsfx-edge-${e.kind}`,
        d: edgePath(e.points),
        'marker-end': `url(#${arrowId})`,
        'data-source': e.source,
        'data-target': e.target,
      }),
    );
  }
  zoom.append(edgeGroup);

  const details = h(doc, 'div', { class: 'tsfx-lineage-details', 'aria-live': 'polite' });
  const nodeGroup = s(doc, 'g', { class: 'tsfx-nodes' });
  const nodeEls = new Map<string, SVGGElement>();
  const select = (id: string): void => {
    const node = placed.nodes.find((p) => p.node.id === id)?.node;
    if (!node) return;
    for (const [nid, el] of nodeEls) {
      el.classList.toggle('tsfx-selected', nid === id);
      el.setAttribute('aria-pressed', String(nid === id));
    }
    details.replaceChildren(...detailsPanel(doc, node));
  };
  for (const p of placed.nodes) {
    const { node } = p;
    const classes = ['tsfx-node', `tsfx-node-${node.kind}`];
    if (node.cached) classes.push('tsfx-cached');
    if (node.id === payload.focus) classes.push('tsfx-focus');
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    const g = s(
      doc,
      'g',
      {
        class: classes.join(' '),
        'data-node-id': node.id,
        transform: `translate(${r1(x)},${r1(y)})`,
        tabindex: 0,
        role: 'button',
        'aria-label': `${node.kind} ${node.label} (${stateText(node)})`,
      },
      s(doc, 'rect', {
        class: 'tsfx-node-box',
        width: r1(p.width),
        height: r1(p.height),
        rx: node.kind === 'artifact' ? 14 : 3,
      }),
      s(doc, 'text', { class: 'tsfx-node-label', x: r1(p.width / 2), y: 18 }, node.label),
      s(doc, 'text', { class: 'tsfx-node-state', x: r1(p.width / 2), y: 34 }, stateText(node)),
    );
    g.addEventListener('click', () => select(node.id));
    g.addEventListener('keydown', (ev: KeyboardEvent) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        select(node.id);
      }
    });
    nodeEls.set(node.id, g);
    nodeGroup.append(g);
  }
  zoom.append(nodeGroup);
  svg.append(zoom);
  const panZoom = new PanZoom(svg, zoom, {
    width,
    height,
    minFit: LEGIBLE_PX / LABEL_PX,
    maxHeight: MAX_VIEW_HEIGHT,
  });

  const artifacts = payload.nodes.filter((n) => n.kind === 'artifact').length;
  const executions = payload.nodes.length - artifacts;
  const cached = payload.nodes.filter((n) => n.cached).length;
  const collapsed = payload.nodes.length - placed.nodes.length;
  const root = h(
    doc,
    'div',
    { class: 'tsfx-view tsfx-lineage', 'data-focus': payload.focus },
    viewHeader(
      doc,
      'Lineage',
      `${artifacts} artifact${artifacts === 1 ? '' : 's'} · ${executions} execution${executions === 1 ? '' : 's'}` +
        (cached ? ` · ${cached} cached` : '') +
        (collapsed ? ` (${collapsed} repeats collapsed)` : ''),
    ),
    h(
      doc,
      'div',
      { class: 'tsfx-legend' },
      h(doc, 'span', { class: 'tsfx-legend-item tsfx-legend-artifact' }, 'artifact'),
      h(doc, 'span', { class: 'tsfx-legend-item tsfx-legend-execution' }, 'execution'),
      h(doc, 'span', { class: 'tsfx-legend-item tsfx-legend-cached' }, 'cached execution'),
      h(doc, 'span', { class: 'tsfx-legend-hint' }, 'click a node for its properties; drag to pan'),
      panZoom.controls(doc),
    ),
    h(
      doc,
      'div',
      { class: 'tsfx-lineage-body' },
      h(doc, 'div', { class: 'tsfx-lineage-graph' }, svg),
      details,
    ),
  );
  host.append(root);
  const Observer = doc.defaultView?.ResizeObserver;
  if (Observer) new Observer(() => panZoom.resized()).observe(svg);
  select(
    placed.nodes.some((p) => p.node.id === payload.focus)
      ? payload.focus
      : (placed.nodes[0]?.node.id ?? ''),
  );
}

export const lineageRenderer: RendererSpec<'lineage'> = {
  kind: 'lineage',
  mimeType: LINEAGE_MIME_TYPE,
  rootClass: 'tsfx-lineage',
  render: renderLineage,
};
