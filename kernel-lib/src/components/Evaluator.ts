import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BLESSED_FILE,
  check,
  EVAL_CONFIG_FILE,
  EvalConfigSchema,
  METRICS_FILE,
  NOT_BLESSED_FILE,
  PayloadError,
  PLOTS_FILE,
  VALIDATIONS_FILE,
  type EvalConfigJson,
} from '@tsfx/protocol';
import { writeJsonFile, writeJsonLinesFile } from '../artifacts/protoJsonFiles';
import { requireSplit } from '../artifacts/splits';
import { TsfxError } from '../errors';
import { evaluate, resolveEvalConfig, type ResolvedEvalConfig } from '../evaluation/evaluate';
import { splitParquetFiles } from '../examples/parquetExamples';
import type { Channel } from '../pipeline/Channel';
import { Component, type ExecutorContext, type ParameterValue } from '../pipeline/Component';
import { loadTf, type BackendChoice } from '../trainer/backend';
import { loadServingBundle } from '../trainer/servingBundle';
import { TSFX_VERSION } from '../version';

export type EvaluatorParameters = {
  /** TFMA's EvalConfig as proto3 JSON, as given. */
  evalConfig: { [key: string]: ParameterValue };
  /** The splits of `examples` to evaluate on (default `['eval']`, as TFX). */
  exampleSplits: string[];
  backend: BackendChoice;
  /** Seed of the bootstrap replicates (confidence intervals). */
  seed: number;
};

/** Checks an EvalConfig (proto3 JSON) and refuses a bad one naming the field. */
export function parseEvalConfig(evalConfig: unknown): ResolvedEvalConfig {
  try {
    return resolveEvalConfig(check(EvalConfigSchema, evalConfig, 'evalConfig'));
  } catch (error) {
    if (error instanceof PayloadError) {
      throw new TsfxError(`Evaluator: ${error.message.replace(/^[^:]*: /, '')}`);
    }
    if (error instanceof TsfxError) throw new TsfxError(`Evaluator: ${error.message}`);
    throw error;
  }
}

/**
 * TFX's Evaluator with TensorFlow Model Analysis's semantics: scores raw eval examples through the
 * model's serving bundle (and the baseline's, when one is given), computes binary classification
 * metrics and plots per slice, validates them against the EvalConfig's thresholds, and blesses the
 * model when every threshold passes.
 *
 * Outputs `evaluation` (ModelEvaluation: `metrics.jsonl`, `plots.jsonl` — TFMA's MetricsForSlice
 * and PlotsForSlice, one per line — `validations.json`, TFMA's ValidationResult, and
 * `eval_config.json`) and `blessing` (ModelBlessing: an empty `BLESSED` or `NOT_BLESSED` file and
 * the properties `blessed`, `current_model_uri`, `current_model_id`, `baseline_model_uri`,
 * `baseline_model_id`).
 */
export class Evaluator extends Component<EvaluatorParameters> {
  readonly type = 'Evaluator';

  constructor(options: {
    examples: Channel;
    model: Channel;
    /** The model to compare with (TFX: the latest blessed model, from a Resolver); optional. */
    baselineModel?: Channel;
    evalConfig: EvalConfigJson;
    exampleSplits?: string[];
    backend?: BackendChoice;
    seed?: number;
  }) {
    parseEvalConfig(options.evalConfig);
    super({
      inputs: {
        examples: options.examples,
        model: options.model,
        // Optional, as TFX's: a Resolver finds no blessed model on a first run.
        ...(options.baselineModel ? { baseline_model: options.baselineModel.asOptional() } : {}),
      },
      outputs: { evaluation: 'ModelEvaluation', blessing: 'ModelBlessing' },
      parameters: {
        evalConfig: JSON.parse(JSON.stringify(options.evalConfig)) as {
          [key: string]: ParameterValue;
        },
        exampleSplits: options.exampleSplits ?? ['eval'],
        backend: options.backend ?? 'auto',
        seed: options.seed ?? 0,
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
    signal,
  }: ExecutorContext<EvaluatorParameters>): Promise<void> {
    const config = parseEvalConfig(parameters.evalConfig);
    const examples = inputs.examples[0];
    for (const split of parameters.exampleSplits) {
      requireSplit(examples, split, 'exampleSplits', 'examples');
    }
    const files = parameters.exampleSplits.flatMap((s) => splitParquetFiles(examples.uri, s));
    const model = inputs.model[0];
    // Optional input: absent, or resolved to nothing (no blessed model yet).
    const baselineModel = inputs.baseline_model?.[0];
    const { tf, backend } = await loadTf(parameters.backend);
    const candidate = await loadServingBundle(tf, model.uri);
    const baseline = baselineModel ? await loadServingBundle(tf, baselineModel.uri) : undefined;
    log(
      `evaluating ${baseline ? 'candidate and baseline' : 'the model (no baseline: change thresholds are skipped)'} on ${parameters.exampleSplits.join(', ')} (TensorFlow.js ${backend})`,
    );
    const result = await evaluate({
      files,
      config,
      candidate,
      baseline,
      log,
      signal,
      seed: parameters.seed,
    });
    const dir = outputs.evaluation.uri;
    writeJsonLinesFile(join(dir, METRICS_FILE), result.metrics);
    writeJsonLinesFile(join(dir, PLOTS_FILE), result.plots);
    writeJsonFile(join(dir, VALIDATIONS_FILE), result.validation);
    // TFMA's EvalRun: the config with where the data and models were.
    writeJsonFile(join(dir, EVAL_CONFIG_FILE), {
      evalConfig: config.config,
      version: `tsfx ${TSFX_VERSION}`,
      dataLocation: files.join(','),
      fileFormat: 'parquet',
      modelLocations: baselineModel
        ? { candidate: model.uri, baseline: baselineModel.uri }
        : { '': model.uri },
    });
    const blessed = result.validation.validationOk === true;
    writeFileSync(join(outputs.blessing.uri, blessed ? BLESSED_FILE : NOT_BLESSED_FILE), '');
    const failures = (result.validation.metricValidationsPerSlice ?? []).flatMap(
      (s) => s.failures ?? [],
    );
    log(
      `${result.numExamples} examples, ${result.numSlices} slices: ${blessed ? 'BLESSED' : 'NOT BLESSED'}${config.thresholds.length === 0 ? ' (no thresholds configured)' : ''}${failures.length > 0 ? `, ${failures.length} threshold failure(s): ${failures[0].message}` : ''}`,
    );
    outputs.evaluation.properties = {
      num_examples: result.numExamples,
      num_slices: result.numSlices,
      validation_ok: blessed ? 1 : 0,
    };
    outputs.blessing.properties = {
      blessed: blessed ? 1 : 0,
      current_model_uri: model.uri,
      current_model_id: model.id,
      ...(baselineModel
        ? { baseline_model_uri: baselineModel.uri, baseline_model_id: baselineModel.id }
        : {}),
    };
  }
}
