/**
 * The state of a transform graph view, without the DOM: all nodes, or only those whose values an
 * analyzer computed (means, boundaries, vocabularies), which is what a reader checks against the
 * data.
 */
import type { TransformGraphPayload, TransformNode } from '@tsfx/protocol';

export class TransformGraphViewModel {
  analyzersOnly = false;

  constructor(private readonly payload: TransformGraphPayload) {}

  /** The nodes shown, in the graph's order. */
  nodes(): TransformNode[] {
    return this.analyzersOnly
      ? this.payload.nodes.filter((n) => n.analyzer !== null)
      : this.payload.nodes;
  }
}
