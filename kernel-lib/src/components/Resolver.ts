import { isArtifactType, type ArtifactType } from '../artifacts/artifactTypes';
import { PipelineDefinitionError, TsfxError } from '../errors';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import {
  latestBlessedModelKeys,
  RESOLVER_STRATEGIES,
  resolveWithStrategy,
  type ResolverStrategy,
} from '../orchestration/resolverStrategies';
import { Component } from '../pipeline/Component';

export type ResolverParameters = {
  strategy: ResolverStrategy;
  /** Output key → the artifact type searched for under that key. */
  channels: { [key: string]: string };
};

/** `new Resolver({ strategy, <key>: '<ArtifactType>', … })`. */
export type ResolverOptions = { strategy: ResolverStrategy } & {
  [key: string]: ArtifactType | ResolverStrategy;
};

/**
 * TFX's Resolver node: it processes and writes nothing, it picks existing artifacts from the
 * metadata store for the components downstream. Each key names an artifact type, searched among
 * the pipeline's LIVE artifacts (as TFX's `Channel(type=Model)`; no DAG edge, so the Evaluator's
 * blessings can feed the next run's Resolver). Its outputs, under the same keys, are the resolved
 * artifacts themselves; a key that resolves nothing (a first run) is empty, and a consumer that
 * declared the input optional runs without it.
 *
 * - `latestBlessedModel` (LatestBlessedModelStrategy): one Model key and one ModelBlessing key; the
 *   newest Model that a ModelBlessing with `blessed = 1` names as `current_model_id`, and that
 *   blessing.
 * - `latestArtifact` (LatestArtifactStrategy): the newest artifact of each key's type.
 *
 * Each run resolves again (a Resolver is never cached) and is recorded as an execution whose
 * outputs are the resolved artifacts (TFX's resolver node handler publishes the same).
 */
export class Resolver extends Component<ResolverParameters> {
  readonly type = 'Resolver';
  readonly isResolverNode = true;

  constructor(options: ResolverOptions) {
    const { strategy, ...rest } = options;
    if (!(RESOLVER_STRATEGIES as readonly string[]).includes(strategy)) {
      throw new PipelineDefinitionError(
        `Resolver: strategy must be one of ${RESOLVER_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
      );
    }
    const outputs: Record<string, ArtifactType> = {};
    for (const [key, type] of Object.entries(rest)) {
      if (typeof type !== 'string' || !isArtifactType(type)) {
        throw new PipelineDefinitionError(
          `Resolver: ${key} must name an artifact type (Model, ModelBlessing, Examples, …), got ${JSON.stringify(type)}`,
        );
      }
      outputs[key] = type;
    }
    if (Object.keys(outputs).length === 0) {
      throw new PipelineDefinitionError('Resolver: give at least one key to resolve');
    }
    if (strategy === 'latestBlessedModel') {
      try {
        latestBlessedModelKeys(outputs);
      } catch (error) {
        throw new PipelineDefinitionError(`Resolver: ${(error as Error).message}`);
      }
    }
    super({ inputs: {}, outputs, parameters: { strategy, channels: { ...outputs } } });
  }

  /** The artifacts this Resolver resolves now in a pipeline's context, by key. */
  resolveFrom(store: MetadataStore, pipelineName: string): Record<string, ArtifactRecord[]> {
    return resolveWithStrategy(
      store,
      pipelineName,
      this.parameters.strategy,
      this.parameters.channels,
    );
  }

  execute(): Promise<void> {
    // runComponent records a Resolver's resolution itself; it has no executor.
    return Promise.reject(new TsfxError('a Resolver is run by runComponent, not executed'));
  }
}
