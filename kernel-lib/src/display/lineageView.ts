import type { MetadataStore } from '../metadata/MetadataStore';
import { escapeHtml, htmlTable } from './html';
import { collapseLineage } from '@tsfx/protocol';
import type { LineageNode, LineagePayload } from '@tsfx/protocol';

/** The lineage graph of an artifact, both ways, as nodes and edges. */
export function lineagePayload(store: MetadataStore, artifactId: number): LineagePayload {
  const graph = store.getLineage(artifactId);
  const nodes: LineageNode[] = [
    ...graph.artifacts.map((a) => ({
      id: `a${a.id}`,
      kind: 'artifact' as const,
      label: a.type,
      state: a.state,
      cached: false,
      properties: { id: a.id, uri: a.uri, ...a.properties },
    })),
    ...graph.executions.map((e) => ({
      id: `e${e.id}`,
      kind: 'execution' as const,
      label: e.componentId,
      state: e.state,
      cached: e.state === 'CACHED',
      properties: {
        id: e.id,
        component_type: e.componentType,
        run_id: e.runId,
        started: new Date(e.startTime).toISOString(),
        duration_ms: e.endTime === null ? null : e.endTime - e.startTime,
        cached_from: e.cachedFrom,
      },
    })),
  ];
  const edges = graph.events.map((ev) =>
    ev.type === 'INPUT'
      ? { source: `a${ev.artifactId}`, target: `e${ev.executionId}`, kind: 'input' as const }
      : { source: `e${ev.executionId}`, target: `a${ev.artifactId}`, kind: 'output' as const },
  );
  return { kind: 'lineage', focus: `a${artifactId}`, nodes, edges };
}

/** The static view: a table of nodes (cached repeats collapsed, with their count) and edges. */
export function lineageHtml(raw: LineagePayload): string {
  const payload = collapseLineage(raw);
  const label = new Map(payload.nodes.map((n) => [n.id, `${n.label} #${n.id.slice(1)}`]));
  const rows = payload.edges.map((e) => [
    label.get(e.source) ?? e.source,
    e.kind === 'input' ? 'read by' : 'wrote',
    label.get(e.target) ?? e.target,
  ]);
  const nodes = payload.nodes.map((n) => [
    n.id,
    n.kind,
    n.label,
    n.state + (n.cached ? ' (cached)' : ''),
    n.kind === 'artifact' ? '' : n.ids.length > 1 ? `${n.ids.length} (${n.ids.join(', ')})` : '1',
  ]);
  return `<div class="tsfx-lineage-fallback">
<p><b>Lineage</b> of ${escapeHtml(label.get(payload.focus) ?? payload.focus)}</p>
${htmlTable(['node', 'kind', 'name', 'state', 'executions'], nodes)}
${htmlTable(['from', 'edge', 'to'], rows)}
</div>`;
}
