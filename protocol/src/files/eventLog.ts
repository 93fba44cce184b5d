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
 * undefined (AUC of a one-class batch) are null. The Trainer writes it (kernel-lib's EventLog);
 * `show()` and the extension read it with `parseEventLog`.
 */
import * as v from 'valibot';
import { check, describe, finiteNumber, literal, obj, PayloadError, str } from '../check';
import { FileFormatError, locateJsonError } from './protoJson';

/** The metrics of every record, in the order the views list them. */
export const TRAINING_METRICS = ['loss', 'accuracy', 'auc'] as const;

const metric = () => v.nullable(finiteNumber());

export const MetricsSchema = obj({ loss: metric(), accuracy: metric(), auc: metric() });

const EVENT_TYPES = ['start', 'batch', 'epoch', 'end'] as const;

export const TrainingEventSchema = v.variant(
  'type',
  [
    obj({
      type: literal('start'),
      wallTime: finiteNumber(),
      backend: str(),
      trainExamples: finiteNumber(),
      evalExamples: finiteNumber(),
      batchSize: finiteNumber(),
      numSteps: finiteNumber(),
      stepsPerEpoch: finiteNumber(),
    }),
    obj({
      type: literal('batch'),
      step: finiteNumber(),
      epoch: finiteNumber(),
      wallTime: finiteNumber(),
      examples: finiteNumber(),
      train: MetricsSchema,
    }),
    obj({
      type: literal('epoch'),
      step: finiteNumber(),
      epoch: finiteNumber(),
      wallTime: finiteNumber(),
      train: MetricsSchema,
      validation: MetricsSchema,
    }),
    obj({
      type: literal('end'),
      step: finiteNumber(),
      wallTime: finiteNumber(),
      trainSeconds: finiteNumber(),
      examplesPerSecond: finiteNumber(),
      validation: MetricsSchema,
    }),
  ],
  `one of ${EVENT_TYPES.join(', ')}`,
);

export type Metrics = v.InferOutput<typeof MetricsSchema>;
export type TrainingEvent = v.InferOutput<typeof TrainingEventSchema>;

/**
 * The events of an events.jsonl file's text, checked line by line; blank lines are skipped. A bad
 * line is refused as `<path>:<line>[:<col>]: <what is wrong>`.
 */
export function parseEventLog(text: string, path: string): TrainingEvent[] {
  const events: TrainingEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line) as unknown;
    } catch (error) {
      const { column, reason } = locateJsonError(line, error);
      throw new FileFormatError(
        path,
        `${path}:${i + 1}${column === null ? '' : `:${column}`}: not a JSON line (${reason})`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new FileFormatError(
        path,
        `${path}:${i + 1}: event should be an object, got ${describe(parsed)}`,
      );
    }
    try {
      events.push(check(TrainingEventSchema, parsed, 'event', `${path}:${i + 1}`));
    } catch (error) {
      if (error instanceof PayloadError) throw new FileFormatError(path, error.message);
      throw error;
    }
  }
  return events;
}

/** A run whose log has an `end` record is done; read back without one, it failed. */
export function eventLogStatus(events: readonly TrainingEvent[]): 'done' | 'failed' {
  return events.some((e) => e.type === 'end') ? 'done' : 'failed';
}
