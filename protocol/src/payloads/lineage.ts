import * as v from 'valibot';
import { bool, dict, list, literal, obj, oneOf, PayloadError, scalar, str } from '../check';

export const LINEAGE_NODE_KINDS = ['artifact', 'execution'] as const;
export type LineageNodeKind = (typeof LINEAGE_NODE_KINDS)[number];

export const LineageNodeSchema = obj({
  /** `a<id>` for artifacts, `e<id>` for executions. */
  id: str(),
  kind: oneOf(LINEAGE_NODE_KINDS),
  /** Artifact type name (`Examples`) or component id (`CsvExampleGen`). */
  label: str(),
  /** Artifact state (`LIVE`, …) or execution state (`COMPLETE`, `CACHED`, `FAILED`, …). */
  state: str(),
  /** True for executions that reused cached outputs. */
  cached: bool(),
  properties: dict(scalar()),
});

/**
 * The lineage graph of an artifact. Edges: `input`, artifact → execution that read it; `output`,
 * execution → artifact it wrote. Every edge joins two of the nodes (see `checkLineageEdges`).
 */
export const LineagePayloadSchema = obj({
  kind: literal('lineage'),
  nodes: list(LineageNodeSchema),
  edges: list(obj({ source: str(), target: str(), kind: oneOf(['input', 'output']) })),
  /** Node id of the artifact the graph was asked for. */
  focus: str(),
});

export type LineageNode = v.InferOutput<typeof LineageNodeSchema>;
export type LineagePayload = v.InferOutput<typeof LineagePayloadSchema>;

/** The check the schema cannot express: every edge's ends are node ids. */
export function checkLineageEdges(payload: LineagePayload): LineagePayload {
  const ids = new Set(payload.nodes.map((n) => n.id));
  payload.edges.forEach((edge, i) => {
    for (const end of ['source', 'target'] as const) {
      if (!ids.has(edge[end]))
        throw new PayloadError(`payload.edges[${i}].${end}`, 'a node id', edge[end]);
    }
  });
  return payload;
}
