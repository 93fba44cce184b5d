import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TsfxError } from '../errors';
import { artifactBundle, displayBundle, inNotebook } from '../display/sendDisplay';
import { lineageHtml, lineagePayload } from '../display/lineageView';
import {
  evaluationHistoryHtml,
  evaluationHistoryPayload,
  evaluationHistoryText,
} from '../display/evaluationHistoryView';
import { notebookReporter } from '../display/notebookProgress';
import { lineReporter } from '../display/progress';
import { artifactViewer, type ShowOptions } from '../display/viewers';
import { statisticsPayload, timeFormatsOf } from '../display/dataPayloads';
import { statisticsHtml, statisticsText } from '../display/statisticsView';
import { splitNames } from '../artifacts/splits';
import type { FeatureSelection } from '@tsfx/protocol';
import {
  trainingComparisonHtml,
  trainingComparisonPayload,
  trainingComparisonText,
} from '../display/trainingComparisonView';
import { MetadataStore } from '../metadata/MetadataStore';
import type { ArtifactRecord } from '../metadata/types';
import type { StoredArtifact } from './latestArtifacts';
import type { ProgressReporter } from '../orchestration/progress';
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

/** What `show()` takes: a channel, an artifact (maybe of another store), or an artifact id. */
export type ShowItem = Channel | ArtifactRecord | StoredArtifact | number;

const isShowList = (item: ShowItem | readonly ShowItem[]): item is readonly ShowItem[] =>
  Array.isArray(item);

/**
 * What `show()` takes besides the item: TFDV's feature lists (statistics views), and a Schema whose
 * time domains (`timeDomain { integerFormat: UNIX_SECONDS }`, TFDV's `time_domain`) mark INT
 * features as Unix times, shown as dates in the statistics and examples views.
 */
export interface ShowArguments extends FeatureSelection {
  schema?: Channel | ArtifactRecord | number;
}

/** TFDV's `visualize_statistics` options, and the split each side shows. */
export interface VisualizeStatisticsOptions extends ShowArguments {
  lhsName?: string;
  rhsName?: string;
  lhsSplit?: string;
  rhsSplit?: string;
}

export interface InteractiveRunOptions {
  enableCache?: boolean;
}

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

  /**
   * Runs one component, its inputs read from the store (its upstream components must have run in
   * this context's pipeline). In a notebook its progress is a display updated in place; elsewhere,
   * lines on the console.
   */
  async run(component: Component, options: InteractiveRunOptions = {}): Promise<ExecutionResult> {
    const reporter: ProgressReporter = inNotebook()
      ? notebookReporter(component.id)
      : lineReporter(component.id, (line) => console.log(line), { endLine: true });
    return runComponent(
      this.metadata,
      { pipelineName: this.pipelineName, pipelineRoot: this.pipelineRoot, runId: this.runId },
      component,
      { enableCache: options.enableCache ?? true, reporter },
    );
  }

  /**
   * Displays a channel's artifacts (after its component ran) or one artifact. Given a list, the
   * ModelRuns in it are overlaid in one training view (TensorBoard's run comparison), the
   * ExampleStatistics in it compared in one statistics view (Facets Overview's datasets); any
   * other list is shown item by item.
   */
  async show(item: ShowItem | readonly ShowItem[], args: ShowArguments = {}): Promise<void> {
    const options = this.viewerOptions(args);
    if (isShowList(item)) {
      const local = item.every((one) => !storedElsewhere(one, this.metadataPath));
      const artifacts = local ? item.flatMap((one) => this.resolveArtifacts(one)) : [];
      if (artifacts.length > 1 && artifacts.every((a) => a.type === 'ModelRun')) {
        this.showRunComparison(artifacts);
        return;
      }
      if (artifacts.length > 1 && artifacts.every((a) => a.type === 'ExampleStatistics')) {
        this.showStatisticsComparison(artifacts, options);
        return;
      }
      for (const one of item) await this.show(one, args);
      return;
    }
    // An artifact from another store (latestArtifacts: a scheduled pipeline's) is read there.
    const other = storedElsewhere(item, this.metadataPath);
    const store = other ? new MetadataStore(other.metadataPath) : this.metadata;
    try {
      for (const artifact of other ? [other] : this.resolveArtifacts(item)) {
        await this.showOne(artifact, store, options);
      }
    } finally {
      if (other) store.close();
    }
  }

  /** The feature lists as given, and the time formats of the schema, if one is given. */
  private viewerOptions({ schema, ...selection }: ShowArguments): ShowOptions {
    if (schema === undefined) return selection;
    const [artifact, ...more] = this.resolveArtifacts(schema);
    if (!artifact || more.length > 0)
      throw new TsfxError(`schema: expected one Schema artifact, got ${more.length + 1}`);
    return { ...selection, timeFormats: timeFormatsOf(artifact) };
  }

  private showRunComparison(artifacts: ArtifactRecord[]): void {
    const runs = artifacts.map((artifact) => ({
      artifact,
      producer: this.metadata.getProducer(artifact.id)?.componentId ?? null,
    }));
    const payload = trainingComparisonPayload(runs);
    const html = trainingComparisonHtml(payload);
    displayBundle(artifactBundle('training', payload, html, trainingComparisonText(payload)));
  }

  /** Every split of each artifact in one view, named `#<id> <split>`, split by split. */
  private showStatisticsComparison(artifacts: ArtifactRecord[], options: ShowOptions): void {
    const payload = statisticsPayload(
      artifacts.map((artifact) => ({
        artifact,
        producer: this.metadata.getProducer(artifact.id)?.componentId ?? null,
      })),
      options,
      options.timeFormats,
    );
    displayBundle(
      artifactBundle('statistics', payload, statisticsHtml(payload), statisticsText(payload)),
    );
  }

  private async showOne(
    artifact: ArtifactRecord,
    store: MetadataStore,
    options: ShowOptions,
  ): Promise<void> {
    const viewer = artifactViewer(artifact.type);
    if (!viewer) throw new TsfxError(`show() has no view for ${artifact.type} artifacts yet`);
    const producer = store.getProducer(artifact.id)?.componentId ?? null;
    const view = await viewer(artifact, { store, producer, options });
    displayBundle(artifactBundle(view.kind, view.payload, view.html, view.text));
  }

  /**
   * Facets Overview of two statistics side by side, as TFDV's `visualize_statistics(lhs_statistics,
   * rhs_statistics, lhs_name, rhs_name, allowlist_features, denylist_features)`: e.g. new data
   * against the training baseline, or one split against another. Each side is one split of an
   * ExampleStatistics artifact (`lhsSplit` / `rhsSplit`, default `train`, else its first split);
   * without `rhs`, the `lhs` split alone. Drift (L∞, Jensen–Shannon) is measured lhs against rhs.
   */
  visualizeStatistics(
    lhs: Channel | ArtifactRecord | number,
    rhs?: Channel | ArtifactRecord | number,
    options: VisualizeStatisticsOptions = {},
  ): void {
    const side = (item: Channel | ArtifactRecord | number, split?: string, name?: string) => {
      const [artifact, ...more] = this.resolveArtifacts(item);
      if (!artifact || more.length > 0 || artifact.type !== 'ExampleStatistics')
        throw new TsfxError(
          `visualizeStatistics() compares one ExampleStatistics artifact with another, not ${artifact?.type ?? 'nothing'}${more.length > 0 ? ` and ${more.length} more` : ''}`,
        );
      const splits = splitNames(artifact);
      const chosen = split ?? (splits.includes('train') ? 'train' : splits[0]);
      return {
        artifact,
        producer: this.metadata.getProducer(artifact.id)?.componentId ?? null,
        split: chosen,
        name: name ?? `#${artifact.id} ${chosen}`,
      };
    };
    const sides = [side(lhs, options.lhsSplit, options.lhsName)];
    if (rhs !== undefined) sides.push(side(rhs, options.rhsSplit, options.rhsName));
    const { timeFormats } = this.viewerOptions(options);
    const payload = statisticsPayload(sides, options, timeFormats);
    displayBundle(
      artifactBundle('statistics', payload, statisticsHtml(payload), statisticsText(payload)),
    );
  }

  /** Displays the lineage graph of a channel's artifact (or an artifact), upstream and downstream. */
  showLineage(item: Channel | ArtifactRecord | number): void {
    for (const artifact of this.resolveArtifacts(item)) {
      const payload = lineagePayload(this.metadata, artifact.id);
      const text = `Lineage of ${artifact.type} ${artifact.id}: ${payload.nodes.length} nodes, ${payload.edges.length} edges`;
      displayBundle(artifactBundle('lineage', payload, lineageHtml(payload), text));
    }
  }

  /**
   * Displays a metric across model versions, as TFMA's `render_time_series`: the ModelEvaluations
   * of a pipeline in the store (this context's by default), oldest first, or the ones given.
   */
  showEvaluationHistory(
    source: string | readonly (Channel | ArtifactRecord | number)[] = this.pipelineName,
  ): void {
    const payload = evaluationHistoryPayload(
      this.metadata,
      typeof source === 'string'
        ? { pipeline: source }
        : { evaluations: source.flatMap((item) => this.resolveArtifacts(item)) },
    );
    displayBundle(
      artifactBundle(
        'evaluation-history',
        payload,
        evaluationHistoryHtml(payload),
        evaluationHistoryText(payload),
      ),
    );
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

function storedElsewhere(item: unknown, metadataPath: string): StoredArtifact | null {
  if (typeof item !== 'object' || item === null || item instanceof Channel) return null;
  const path = (item as Partial<StoredArtifact>).metadataPath;
  return typeof path === 'string' && resolve(path) !== metadataPath
    ? (item as StoredArtifact)
    : null;
}
