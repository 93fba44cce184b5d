import { TsfxError } from '../errors';
import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import type { Channel } from '../pipeline/Channel';
import type { Component } from '../pipeline/Component';
import { isResolverNode, type ResolverNode } from './runResolver';
import { runContextName, type RunTarget } from './runTarget';

/**
 * A component's input artifacts, read from the metadata store (never from objects in memory, so
 * a component can run in a process of its own). For each input channel (`<producer>.<key>`):
 *
 * 1. the LIVE artifacts that the producer's newest successful execution in this pipeline run
 *    output under that key (a whole run, or the tasks of one scheduled run sharing its run id);
 * 2. else, the latest LIVE artifact of the channel's type that the producer output under that key
 *    in the pipeline's context (a component run on its own, in a fresh run);
 * 3. else, nothing: an optional input is left out (the executor sees it `undefined`), a required
 *    one is an error.
 *
 * A Resolver's output is what it resolved in this run, possibly nothing (a first run: no fallback
 * to an older run's resolution); when it has not run in this run, it is resolved now.
 */
export function resolveInputs(
  store: MetadataStore,
  target: RunTarget,
  component: Component,
): Record<string, ArtifactRecord[]> {
  const run = store.getContext('pipeline_run', runContextName(target));
  const inputs: Record<string, ArtifactRecord[]> = {};
  for (const [key, channel] of Object.entries(component.inputs)) {
    const artifacts = isResolverNode(channel.producer)
      ? fromResolver(store, target, run?.id, channel, channel.producer)
      : (run && fromRun(store, run.id, channel)) || fromPipeline(store, target, channel);
    if (artifacts) {
      inputs[key] = artifacts;
    } else if (!channel.optional) {
      throw new TsfxError(
        `${component.id} input "${key}" has no artifact yet: run ${channel.producer.id} first ` +
          `(no LIVE ${channel.type} from ${channel.name} in pipeline ${target.pipelineName})`,
      );
    }
  }
  return inputs;
}

function fromRun(store: MetadataStore, runId: number, channel: Channel): ArtifactRecord[] | null {
  const artifacts = store
    .getContextOutputs(runId, channel.producer.id, channel.key)
    .filter((a) => a.type === channel.type);
  return artifacts.length > 0 ? artifacts : null;
}

function fromPipeline(
  store: MetadataStore,
  target: RunTarget,
  channel: Channel,
): ArtifactRecord[] | null {
  const latest = store.latestArtifact({
    type: channel.type,
    state: 'LIVE',
    context: { type: 'pipeline', name: target.pipelineName },
    producer: { componentId: channel.producer.id, outputKey: channel.key },
  });
  return latest ? [latest] : null;
}

/** What a Resolver resolved in this run (maybe nothing), else what it resolves now. */
function fromResolver(
  store: MetadataStore,
  target: RunTarget,
  runId: number | undefined,
  channel: Channel,
  resolver: ResolverNode,
): ArtifactRecord[] | null {
  const execution = runId !== undefined && store.latestContextExecution(runId, resolver.id);
  const artifacts = execution
    ? (store.getOutputs(execution.id).get(channel.key) ?? [])
    : (resolver.resolveFrom(store, target.pipelineName)[channel.key] ?? []);
  const live = artifacts.filter((a) => a.state === 'LIVE' && a.type === channel.type);
  return live.length > 0 ? live : null;
}
