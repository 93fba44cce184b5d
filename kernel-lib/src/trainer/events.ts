import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_FILE, parseEventLog, type Metrics, type TrainingEvent } from '@tsfx/protocol';
import type { BinaryMetrics } from './metrics';

// The event log's format (`events.jsonl`: its records, their schema and reader) is defined in
// @tsfx/protocol (files/eventLog.ts), which the extension reads it with too.
export { EVENTS_FILE, type Metrics, type TrainingEvent } from '@tsfx/protocol';

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

/** The events of a model run folder, in order (each line checked; a bad one names file:line). */
export function readEvents(modelRunUri: string): TrainingEvent[] {
  const file = join(modelRunUri, EVENTS_FILE);
  return parseEventLog(readFileSync(file, 'utf8'), file);
}
