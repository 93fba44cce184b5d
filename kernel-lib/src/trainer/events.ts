import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BinaryMetrics } from './metrics';

/**
 * The ModelRun event log, `<modelRun uri>/events.jsonl`: one JSON object per line, in order.
 *
 * - `{"type":"start","wallTime","backend","trainExamples","evalExamples","batchSize","numSteps","stepsPerEpoch"}`
 * - `{"type":"batch","step","epoch","wallTime","examples","train":{"loss","accuracy","auc"}}` after
 *   every training batch (metrics of that batch; `step` counts from 1, `examples` is the total so far)
 * - `{"type":"epoch","step","epoch","wallTime","train":{…},"validation":{…}}` after every epoch
 *   (train: the epoch's examples, as scored during it; validation: the eval split)
 * - `{"type":"end","step","wallTime","trainSeconds","examplesPerSecond","validation":{…}}`
 *
 * `wallTime` is seconds since the Unix epoch (TensorBoard's convention); metric values that are
 * undefined (AUC of a one-class batch) are null.
 */
export const EVENTS_FILE = 'events.jsonl';

export type Metrics = { [K in keyof BinaryMetrics]: number | null };

export type TrainingEvent =
  | {
      type: 'start';
      wallTime: number;
      backend: string;
      trainExamples: number;
      evalExamples: number;
      batchSize: number;
      numSteps: number;
      stepsPerEpoch: number;
    }
  | {
      type: 'batch';
      step: number;
      epoch: number;
      wallTime: number;
      examples: number;
      train: Metrics;
    }
  | {
      type: 'epoch';
      step: number;
      epoch: number;
      wallTime: number;
      train: Metrics;
      validation: Metrics;
    }
  | {
      type: 'end';
      step: number;
      wallTime: number;
      trainSeconds: number;
      examplesPerSecond: number;
      validation: Metrics;
    };

/** A metric as logs and views print it: 4 decimals, `–` when undefined. */
export function formatMetric(value: number | null): string {
  return value === null ? '–' : value.toFixed(4);
}

export type TrainingListener = (event: TrainingEvent) => void;

export function toMetrics(m: BinaryMetrics): Metrics {
  const clean = (v: number) => (Number.isFinite(v) ? v : null);
  return { loss: clean(m.loss), accuracy: clean(m.accuracy), auc: clean(m.auc) };
}

/** Writes events to `<dir>/events.jsonl` and passes each to listeners (progress views). */
export class EventLog {
  private readonly file: string;
  private readonly listeners: TrainingListener[] = [];
  readonly events: TrainingEvent[] = [];

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, EVENTS_FILE);
    writeFileSync(this.file, '');
  }

  listen(listener: TrainingListener): void {
    this.listeners.push(listener);
  }

  write(event: TrainingEvent): void {
    this.events.push(event);
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
    for (const listener of this.listeners) listener(event);
  }
}

/** The events of a model run folder, in order. */
export function readEvents(modelRunUri: string): TrainingEvent[] {
  return readFileSync(join(modelRunUri, EVENTS_FILE), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TrainingEvent);
}
