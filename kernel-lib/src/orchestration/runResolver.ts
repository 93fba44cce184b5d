import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import type { Component } from '../pipeline/Component';
import type { ProgressReporter } from './progress';
import { runContextName, type RunTarget } from './runTarget';

/** A component that picks existing artifacts rather than writing new ones (a Resolver). */
export interface ResolverNode extends Component {
  readonly isResolverNode: true;
  resolveFrom(store: MetadataStore, pipelineName: string): Record<string, ArtifactRecord[]>;
}

/** Duck-typed, so that a Resolver from another copy of the library (a notebook's) is one too. */
export function isResolverNode(component: Component): component is ResolverNode {
  return (
    'isResolverNode' in component &&
    component.isResolverNode === true &&
    'resolveFrom' in component &&
    typeof component.resolveFrom === 'function'
  );
}

/**
 * Resolves now and records, in one transaction, a `COMPLETE` execution whose outputs are the
 * resolved artifacts (OUTPUT events to them, no new artifact), attributed to the run, as TFX's
 * resolver node handler publishes its execution. Returns the execution id and the outputs.
 */
export function recordResolution(
  store: MetadataStore,
  target: RunTarget,
  resolver: ResolverNode,
  reporter: ProgressReporter,
): { executionId: number; outputs: Record<string, ArtifactRecord[]> } {
  const outputs = resolver.resolveFrom(store, target.pipelineName);
  const executionId = store.transaction(() => {
    const pipelineContext = store.context('pipeline', target.pipelineName);
    const runContext = store.context('pipeline_run', runContextName(target));
    const id = store.createExecution({
      pipeline: target.pipelineName,
      runId: target.runId,
      componentId: resolver.id,
      componentType: resolver.type,
      parameters: resolver.parameters as Record<string, unknown>,
      cacheKey: null,
    });
    for (const [key, artifacts] of Object.entries(outputs)) {
      for (const artifact of artifacts) {
        store.addEvent(id, artifact.id, 'OUTPUT', key);
        store.attribute(runContext, artifact.id);
      }
    }
    store.associate(pipelineContext, id);
    store.associate(runContext, id);
    store.finishExecution(id, 'COMPLETE');
    return id;
  });
  const found = Object.entries(outputs).filter(([, artifacts]) => artifacts.length > 0);
  reporter.log(
    found.length === 0
      ? `${resolver.id}: nothing to resolve yet (${Object.keys(outputs).join(', ')} empty)`
      : `${resolver.id}: resolved ${found.map(([key, a]) => `${key} ${a.map((x) => x.id).join(', ')}`).join('; ')}`,
  );
  return { executionId, outputs };
}
