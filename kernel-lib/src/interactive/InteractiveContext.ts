import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errorMessage, TsfxError } from '../errors';
import { artifactBundle, displayBundle, inNotebook } from '../display/sendDisplay';
import { artifactRef, examplesHtml, examplesPayload } from '../display/examplesView';
import { escapeHtml } from '../display/html';
import { lineageHtml, lineagePayload } from '../display/lineageView';
import { anomaliesPayload, schemaPayload, statisticsPayload } from '../display/dataPayloads';
import { statisticsHtml, statisticsText } from '../display/statisticsView';
import { schemaHtml, schemaText } from '../display/schemaView';
import { anomaliesHtml, anomaliesText } from '../display/anomaliesView';
import { trainingHtml, trainingPayload, trainingText } from '../display/trainingView';
import { readEvents } from '../trainer/events';
import { eventLogStatus } from '@tsfx/protocol';
import { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import { Channel } from '../pipeline/Channel';
import type { Component } from '../pipeline/Component';
import { newRunId, runComponent, type ExecutionResult } from '../orchestration/runComponent';

export interface InteractiveContextOptions {
  pipelineName?: string;
  /** Where artifacts go; without one, a temporary folder (and a warning), as TFX does. */
  pipelineRoot?: string;
  /** Default `<pipelineRoot>/metadata.sqlite`. */
  metadataPath?: string;
}

export interface InteractiveRunOptions {
  enableCache?: boolean;
}

/** Renders one artifact kind: builds its payload and its HTML and text fallbacks. */
export type ArtifactViewer = (
  artifact: ArtifactRecord,
  context: { store: MetadataStore; producer: string | null },
) => Promise<{
  kind: Parameters<typeof artifactBundle>[0];
  payload: unknown;
  html: string;
  text: string;
}>;

const viewers = new Map<string, ArtifactViewer>();

/** Registers how `show()` displays an artifact type (components register their own). */
export function registerArtifactViewer(type: string, viewer: ArtifactViewer): void {
  viewers.set(type, viewer);
}

registerArtifactViewer('Examples', async (artifact, { producer }) => {
  const payload = await examplesPayload(artifact, producer);
  const text = `Examples ${artifact.id} at ${artifact.uri}: ${payload.splits.map((s) => `${s.name} ${s.numRows} rows`).join(', ')}`;
  return { kind: 'examples', payload, html: examplesHtml(payload), text };
});

registerArtifactViewer('ExampleStatistics', async (artifact, { producer }) => {
  const payload = statisticsPayload([{ artifact, producer }]);
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

/**
 * Runs components one at a time from notebook cells, as TFX's InteractiveContext does: each run
 * is recorded in the metadata store (with caching and lineage), and `show()` displays an output.
 */
export class InteractiveContext {
  readonly pipelineName: string;
  readonly pipelineRoot: string;
  readonly metadataPath: string;
  readonly runId = newRunId();
  private store: MetadataStore | null = null;

  constructor(options: InteractiveContextOptions = {}) {
    this.pipelineName = options.pipelineName ?? 'interactive-pipeline';
    if (options.pipelineRoot) {
      this.pipelineRoot = resolve(options.pipelineRoot);
    } else {
      this.pipelineRoot = mkdtempSync(join(tmpdir(), 'tsfx-interactive-'));
      console.warn(
        `InteractiveContext pipelineRoot not provided: using temporary folder ${this.pipelineRoot}`,
      );
    }
    this.metadataPath = resolve(options.metadataPath ?? join(this.pipelineRoot, 'metadata.sqlite'));
  }

  get metadata(): MetadataStore {
    this.store ??= new MetadataStore(this.metadataPath);
    return this.store;
  }

  /** Runs one component (its upstream components must have run in this context). */
  async run(component: Component, options: InteractiveRunOptions = {}): Promise<ExecutionResult> {
    const progress = new ProgressLine(component.id);
    try {
      const result = await runComponent(
        this.metadata,
        { pipelineName: this.pipelineName, pipelineRoot: this.pipelineRoot, runId: this.runId },
        component,
        { enableCache: options.enableCache ?? true, log: (m) => progress.log(m) },
      );
      progress.done(result);
      return result;
    } catch (error) {
      progress.failed(error);
      throw error;
    }
  }

  /** Displays a channel's artifacts (after its component ran) or one artifact. */
  async show(item: Channel | ArtifactRecord | number): Promise<void> {
    const artifacts = this.resolveArtifacts(item);
    for (const artifact of artifacts) {
      const viewer = viewers.get(artifact.type);
      if (!viewer) throw new TsfxError(`show() has no view for ${artifact.type} artifacts yet`);
      const producer = this.metadata.getProducer(artifact.id)?.componentId ?? null;
      const view = await viewer(artifact, { store: this.metadata, producer });
      displayBundle(artifactBundle(view.kind, view.payload, view.html, view.text));
    }
  }

  /** Displays the lineage graph of a channel's artifact (or an artifact), upstream and downstream. */
  showLineage(item: Channel | ArtifactRecord | number): void {
    for (const artifact of this.resolveArtifacts(item)) {
      const payload = lineagePayload(this.metadata, artifact.id);
      const text = `Lineage of ${artifact.type} ${artifact.id}: ${payload.nodes.length} nodes, ${payload.edges.length} edges`;
      displayBundle(artifactBundle('lineage', payload, lineageHtml(payload), text));
    }
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }

  private resolveArtifacts(item: Channel | ArtifactRecord | number): ArtifactRecord[] {
    if (item instanceof Channel) {
      if (item.artifacts.length === 0) {
        throw new TsfxError(
          `${item.toString()} has no artifact yet: run ${item.producer.id} first`,
        );
      }
      return item.artifacts;
    }
    const id = typeof item === 'number' ? item : item.id;
    const artifact = this.metadata.getArtifact(id);
    if (!artifact) throw new TsfxError(`no artifact ${id} in ${this.metadataPath}`);
    return [artifact];
  }
}

/**
 * A progress line for a component run: in a notebook, one display updated in place (tslab sends
 * `update_display_data`); elsewhere, lines on the console.
 */
class ProgressLine {
  private readonly started = Date.now();
  private readonly handle;
  private last = 'starting';

  constructor(private readonly componentId: string) {
    this.handle = inNotebook()
      ? displayBundle(
          this.bundle('running', 'starting'),
          `tsfx-progress-${componentId}-${this.started}`,
        )
      : null;
  }

  log(message: string): void {
    this.last = message;
    if (this.handle) this.handle.update(this.bundle('running', message));
    else console.log(`${this.componentId}: ${message}`);
  }

  done(result: ExecutionResult): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const what =
      result.state === 'CACHED'
        ? `cached (reused execution ${result.cachedFrom})`
        : `done in ${seconds}s (execution ${result.executionId})`;
    const outputs = Object.entries(result.outputs)
      .map(([key, artifacts]) => `${key} → ${artifacts.map((a) => a.uri).join(', ')}`)
      .join('; ');
    const message = `${what}: ${outputs}`;
    if (this.handle)
      this.handle.update(this.bundle(result.state === 'CACHED' ? 'cached' : 'done', message));
    else console.log(`${this.componentId}: ${message}`);
  }

  failed(error: unknown): void {
    if (this.handle) this.handle.update(this.bundle('failed', errorMessage(error)));
  }

  private bundle(
    state: 'running' | 'done' | 'cached' | 'failed',
    message: string,
  ): Record<string, string> {
    const colour = state === 'failed' ? '#c62828' : state === 'running' ? '#1565c0' : '#2e7d32';
    const text = `${this.componentId} [${state}] ${message}`;
    return {
      'text/plain': text,
      'text/html': `<div class="tsfx-progress" style="font-family:monospace;color:${colour}">${escapeHtml(text)}</div>`,
    };
  }
}
