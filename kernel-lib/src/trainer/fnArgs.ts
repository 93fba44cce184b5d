import type { ParameterValue } from '../pipeline/Component';
import type { Schema } from '@tsfx/protocol';
import type { LoadedTransformGraph } from '../transform/graph';
import type { Tf } from './backend';
import type { EventLog } from './events';

/** What a module file's `runFn(fnArgs)` receives (TFX's FnArgs, in camelCase). */
export interface FnArgs {
  /** Transformed examples (Parquet) of the train and eval splits. */
  trainFiles: string[];
  evalFiles: string[];
  /** The TransformGraph artifact's folder, and the graph loaded from it. */
  transformGraphPath: string;
  transformGraph: LoadedTransformGraph;
  schemaPath: string;
  schema: Schema;
  /** trainArgs.numSteps and evalArgs.numSteps. */
  trainSteps: number;
  evalSteps: number;
  /** Where the event log goes (the ModelRun artifact). */
  modelRunDir: string;
  /** Where runFn must save the serving bundle (`saveServingBundle`). */
  servingModelDir: string;
  hyperparameters: { [key: string]: ParameterValue };
  /** TensorFlow.js on the chosen backend, and that backend's name. */
  tf: Tf;
  backend: string;
  /** The event log: pass it to `fitBinaryClassifier` (progress views listen to it). */
  events: EventLog;
  signal: AbortSignal;
  log(message: string): void;
}

export type RunFn = (fnArgs: FnArgs) => Promise<void>;
