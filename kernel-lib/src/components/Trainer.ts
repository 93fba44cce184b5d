import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCHEMA_FILE } from '../artifacts/splitFiles';
import { requireSplit } from '../artifacts/splits';
import { TsfxError } from '../errors';
import { splitParquetFiles } from '../examples/parquetExamples';
import {
  Component,
  type ExecutorContext,
  type ParameterValue,
  type ProgressUpdate,
} from '../pipeline/Component';
import type { Channel } from '../pipeline/Channel';
import { readSchemaFile } from '../artifacts/protoJsonFiles';
import { loadTransformGraph } from '../transform/io';
import { loadModuleFile, moduleFunction } from '../transform/moduleFile';
import { loadTf, type BackendChoice } from '../trainer/backend';
import { EventLog, formatMetric as fmt, type Metrics, type TrainingEvent } from '../trainer/events';
import type { RunFn } from '../trainer/fnArgs';
import { SERVING_FILE, SERVING_MODEL_DIR } from '../trainer/servingBundle';

export type TrainerParameters = {
  /** A TypeScript or JavaScript file exporting `runFn(fnArgs)`. */
  moduleFile: string;
  runFn: string;
  trainArgs: { numSteps: number };
  evalArgs: { numSteps: number };
  trainSplit: string;
  evalSplit: string;
  /** `auto` (tfjs-node when installed, else wasm), `wasm`, `cpu` or `tensorflow`. */
  backend: BackendChoice;
  hyperparameters: { [key: string]: ParameterValue };
};

/**
 * TFX's Trainer: runs the module file's `runFn(fnArgs)` on the transformed examples with
 * TensorFlow.js. Outputs `model` (a serving bundle at `<uri>/Format-Serving/`: raw features in,
 * probability out) and `modelRun` (the event log `events.jsonl`). Reports each training event as
 * progress (step of numSteps, loss and validation AUC, the event itself), which the caller shows:
 * live curves in a notebook, a bar on a terminal, lines in a log.
 */
export class Trainer extends Component<TrainerParameters> {
  readonly type = 'Trainer';

  constructor(options: {
    examples: Channel;
    transformGraph: Channel;
    schema: Channel;
    moduleFile: string;
    runFn?: string;
    trainArgs: { numSteps: number };
    evalArgs?: { numSteps: number };
    trainSplit?: string;
    evalSplit?: string;
    backend?: BackendChoice;
    hyperparameters?: { [key: string]: ParameterValue };
  }) {
    if (!(Number.isInteger(options.trainArgs.numSteps) && options.trainArgs.numSteps >= 1)) {
      throw new TsfxError('Trainer trainArgs.numSteps must be a whole number >= 1');
    }
    super({
      inputs: {
        examples: options.examples,
        transform_graph: options.transformGraph,
        schema: options.schema,
      },
      outputs: { model: 'Model', model_run: 'ModelRun' },
      parameters: {
        moduleFile: resolve(options.moduleFile),
        runFn: options.runFn ?? 'runFn',
        trainArgs: { numSteps: options.trainArgs.numSteps },
        evalArgs: { numSteps: options.evalArgs?.numSteps ?? 0 },
        trainSplit: options.trainSplit ?? 'train',
        evalSplit: options.evalSplit ?? 'eval',
        backend: options.backend ?? 'auto',
        hyperparameters: options.hyperparameters ?? {},
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
    progress,
    signal,
  }: ExecutorContext<TrainerParameters>): Promise<void> {
    const examples = inputs.examples[0];
    requireSplit(examples, parameters.trainSplit, 'trainSplit', 'examples');
    requireSplit(examples, parameters.evalSplit, 'evalSplit', 'examples');
    const schemaPath = join(inputs.schema[0].uri, SCHEMA_FILE);
    const transformGraphPath = inputs.transform_graph[0].uri;
    const module = loadModuleFile(parameters.moduleFile);
    const runFn = moduleFunction<RunFn>(module, parameters.runFn, parameters.moduleFile);
    const { tf, backend } = await loadTf(parameters.backend);
    log(`TensorFlow.js ${tf.version.tfjs} on the ${backend} backend`);

    const events = new EventLog(outputs.model_run.uri);
    const toProgress = progressOfTraining(parameters.trainArgs.numSteps);
    events.listen((event) => {
      progress(toProgress(event));
      if (event.type === 'epoch') {
        log(
          `epoch ${event.epoch} step ${event.step}: loss ${fmt(event.train.loss)}, validation loss ${fmt(event.validation.loss)}, accuracy ${fmt(event.validation.accuracy)}, AUC ${fmt(event.validation.auc)}`,
        );
      } else if (event.type === 'end') {
        log(`${Math.round(event.examplesPerSecond)} examples/s over ${event.step} steps`);
      }
    });
    const servingModelDir = join(outputs.model.uri, SERVING_MODEL_DIR);
    await runFn({
      trainFiles: splitParquetFiles(examples.uri, parameters.trainSplit),
      evalFiles: splitParquetFiles(examples.uri, parameters.evalSplit),
      transformGraphPath,
      transformGraph: loadTransformGraph(transformGraphPath),
      schemaPath,
      schema: readSchemaFile(schemaPath),
      trainSteps: parameters.trainArgs.numSteps,
      evalSteps: parameters.evalArgs.numSteps,
      modelRunDir: outputs.model_run.uri,
      servingModelDir,
      hyperparameters: parameters.hyperparameters,
      tf,
      backend,
      events,
      signal,
      log,
    });
    if (!existsSync(join(servingModelDir, SERVING_FILE))) {
      throw new TsfxError(
        `runFn did not save a serving model in fnArgs.servingModelDir (${servingModelDir})`,
      );
    }
    const end = events.events.find(
      (e): e is Extract<TrainingEvent, { type: 'end' }> => e.type === 'end',
    );
    outputs.model.properties = { backend, serving_dir: SERVING_MODEL_DIR };
    outputs.model_run.properties = {
      backend,
      steps: end?.step ?? null,
      examples_per_second: end ? Math.round(end.examplesPerSecond) : null,
      eval_auc: end?.validation.auc ?? null,
      eval_loss: end?.validation.loss ?? null,
    };
  }
}

/** Training events as progress: step of numSteps, the batch's loss and the last validation AUC. */
function progressOfTraining(numSteps: number): (event: TrainingEvent) => ProgressUpdate {
  let validation: Metrics | null = null;
  return (event) => {
    if (event.type === 'epoch' || event.type === 'end') validation = event.validation;
    const loss = event.type === 'batch' || event.type === 'epoch' ? event.train.loss : null;
    return {
      step: event.type === 'start' ? 0 : event.step,
      total: numSteps,
      metrics: { loss, val_auc: validation?.auc ?? null },
      training: event,
    };
  };
}
