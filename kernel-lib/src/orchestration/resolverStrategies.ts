import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';

/** The Resolver's strategies, as TFX's `LatestBlessedModelStrategy` and `LatestArtifactStrategy`. */
export const RESOLVER_STRATEGIES = ['latestBlessedModel', 'latestArtifact'] as const;
export type ResolverStrategy = (typeof RESOLVER_STRATEGIES)[number];

/** What a Resolver searches: its keys, each with the artifact type it looks for. */
export type ResolverChannels = Record<string, string>;

/**
 * The artifacts a strategy resolves, by key, from the LIVE artifacts of each key's type in the
 * pipeline's context (TFX's search scope for a `Channel(type=…)`). A key that resolves nothing has
 * an empty list: on a first run there is nothing to resolve, and that is not an error.
 */
export function resolveWithStrategy(
  store: MetadataStore,
  pipelineName: string,
  strategy: ResolverStrategy,
  channels: ResolverChannels,
): Record<string, ArtifactRecord[]> {
  const candidates = (type: string): ArtifactRecord[] =>
    store.findArtifacts({ type, state: 'LIVE', context: { type: 'pipeline', name: pipelineName } });
  if (strategy === 'latestArtifact') {
    return Object.fromEntries(
      Object.entries(channels).map(([key, type]) => [key, candidates(type).slice(0, 1)]),
    );
  }
  const { modelKey, blessingKey } = latestBlessedModelKeys(channels);
  return latestBlessedModel(
    candidates('Model'),
    candidates('ModelBlessing'),
    modelKey,
    blessingKey,
  );
}

/** The keys of the Model and the ModelBlessing channels (the strategy takes exactly these two). */
export function latestBlessedModelKeys(channels: ResolverChannels): {
  modelKey: string;
  blessingKey: string;
} {
  const entries = Object.entries(channels);
  const modelKey = entries.find(([, type]) => type === 'Model')?.[0];
  const blessingKey = entries.find(([, type]) => type === 'ModelBlessing')?.[0];
  if (entries.length !== 2 || modelKey === undefined || blessingKey === undefined) {
    throw new Error(
      `the latestBlessedModel strategy takes one Model and one ModelBlessing channel, got ${JSON.stringify(channels)}`,
    );
  }
  return { modelKey, blessingKey };
}

/**
 * TFX's LatestBlessedModelStrategy: the newest Model (by id) for which a ModelBlessing with
 * `blessed = 1` names it as its `current_model_id`, with that blessing; nothing when there is none.
 * `models` and `blessings` come newest first.
 */
function latestBlessedModel(
  models: ArtifactRecord[],
  blessings: ArtifactRecord[],
  modelKey: string,
  blessingKey: string,
): Record<string, ArtifactRecord[]> {
  const blessingOf = new Map<number, ArtifactRecord>();
  for (const blessing of blessings) {
    const modelId = blessing.properties.current_model_id;
    if (blessing.properties.blessed !== 1 || typeof modelId !== 'number') continue;
    if (!blessingOf.has(modelId)) blessingOf.set(modelId, blessing);
  }
  const model = [...models].sort((a, b) => b.id - a.id).find((m) => blessingOf.has(m.id));
  return model
    ? { [modelKey]: [model], [blessingKey]: [blessingOf.get(model.id)!] }
    : { [modelKey]: [], [blessingKey]: [] };
}
