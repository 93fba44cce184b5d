import type { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import { eventLogStatus, type FeatureSelection, type TimeFormats } from '@tsfx/protocol';
import { readEvents } from '../trainer/events';
import { anomaliesHtml, anomaliesText } from './anomaliesView';
import { anomaliesPayload, schemaPayload, statisticsPayload } from './dataPayloads';
import { artifactRef, examplesHtml, examplesPayload } from './examplesView';
import { schemaHtml, schemaText } from './schemaView';
import type { artifactBundle } from './sendDisplay';
import { statisticsHtml, statisticsText } from './statisticsView';
import { trainingHtml, trainingPayload, trainingText } from './trainingView';
import { modelHtml, modelPayload, modelText } from './modelView';
import {
  transformGraphHtml,
  transformGraphPayload,
  transformGraphText,
} from './transformGraphView';
import {
  blessingHtml,
  blessingPayload,
  blessingText,
  pushedModelHtml,
  pushedModelPayload,
  pushedModelText,
} from './blessingView';
import { evaluationHtml, evaluationPayload, evaluationText } from './evaluationView';

/** Renders one artifact kind: builds its payload and its HTML and text fallbacks. */
export type ArtifactViewer = (
  artifact: ArtifactRecord,
  context: { store: MetadataStore; producer: string | null; options?: ShowOptions },
) => Promise<{
  kind: Parameters<typeof artifactBundle>[0];
  payload: unknown;
  html: string;
  text: string;
}>;

/**
 * What a viewer takes besides the artifact: TFDV's feature lists (statistics views) and the Unix
 * time formats a schema gives INT features (their values shown as dates in the statistics and
 * examples views).
 */
export interface ShowOptions extends FeatureSelection {
  timeFormats?: TimeFormats;
}

/** The viewer registry: how `show()` (and later the panel) displays each artifact type. */
const viewers = new Map<string, ArtifactViewer>();

/** Registers how an artifact type is displayed (components register their own). */
export function registerArtifactViewer(type: string, viewer: ArtifactViewer): void {
  viewers.set(type, viewer);
}

/** The viewer of an artifact type, if one is registered. */
export function artifactViewer(type: string): ArtifactViewer | undefined {
  return viewers.get(type);
}

registerArtifactViewer('Examples', async (artifact, { producer, options }) => {
  const payload = await examplesPayload(artifact, producer, { timeFormats: options?.timeFormats });
  const text = `Examples ${artifact.id} at ${artifact.uri}: ${payload.splits.map((s) => `${s.name} ${s.numRows} rows`).join(', ')}`;
  return { kind: 'examples', payload, html: examplesHtml(payload), text };
});

registerArtifactViewer('ExampleStatistics', async (artifact, { producer, options }) => {
  const payload = statisticsPayload([{ artifact, producer }], options, options?.timeFormats);
  return {
    kind: 'statistics',
    payload,
    html: statisticsHtml(payload),
    text: statisticsText(payload),
  };
});

registerArtifactViewer('Schema', async (artifact, { producer }) => {
  const payload = schemaPayload({ artifact, producer });
  return { kind: 'schema', payload, html: schemaHtml(payload), text: schemaText(payload) };
});

registerArtifactViewer('ExampleAnomalies', async (artifact, { producer }) => {
  const payload = anomaliesPayload({ artifact, producer });
  return { kind: 'anomalies', payload, html: anomaliesHtml(payload), text: anomaliesText(payload) };
});

registerArtifactViewer('ModelRun', async (artifact, { producer }) => {
  const events = readEvents(artifact.uri);
  const payload = trainingPayload(events, artifactRef(artifact, producer), eventLogStatus(events));
  return { kind: 'training', payload, html: trainingHtml(payload), text: trainingText(payload) };
});

// The model and the transform graph, from their saved files.
registerArtifactViewer('Model', async (artifact, { producer }) => {
  const payload = modelPayload(artifact, producer);
  return { kind: 'model', payload, html: modelHtml(payload), text: modelText(payload) };
});

registerArtifactViewer('TransformGraph', async (artifact, { producer }) => {
  const payload = transformGraphPayload(artifact, producer);
  return {
    kind: 'transformGraph',
    payload,
    html: transformGraphHtml(payload),
    text: transformGraphText(payload),
  };
});

// ---- model analysis and production (Evaluator, Pusher) ----

registerArtifactViewer('ModelEvaluation', async (artifact, { producer }) => {
  const payload = evaluationPayload(artifact, producer);
  return {
    kind: 'evaluation',
    payload,
    html: evaluationHtml(payload),
    text: evaluationText(payload),
  };
});

registerArtifactViewer('ModelBlessing', async (artifact, context) => {
  const payload = blessingPayload(artifact, context);
  return { kind: 'blessing', payload, html: blessingHtml(payload), text: blessingText(payload) };
});

registerArtifactViewer('PushedModel', async (artifact, context) => {
  const payload = pushedModelPayload(artifact, context);
  return {
    kind: 'pushed-model',
    payload,
    html: pushedModelHtml(payload),
    text: pushedModelText(payload),
  };
});
