import type { ValueType } from '@tsfx/protocol';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TsfxError } from '../errors';
import {
  compileTransform,
  type LoadedTransformGraph,
  type RawColumns,
  type RawRow,
  type TransformFn,
  type TransformedRow,
} from '../transform/graph';
import { loadTransformGraph, saveTransformGraph } from '../transform/io';
import type { Tf } from './backend';
import { columnsOf, compileColumnTransform, type TypedColumns } from '../transform/columns';
import {
  encodeFeatureColumns,
  encodeFeatures,
  specColumns,
  type EncodedFeatures,
  type FeatureSpec,
} from './features';
import { predictProbabilities } from './fit';
import { compileForwardPass, type ForwardPass } from '../serving/forwardPass';
import { writeJsonFile } from '../artifacts/protoJsonFiles';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/**
 * A serving bundle (the Model artifact's `Format-Serving/` folder): raw feature values in,
 * probability out.
 *
 * - `serving.json`: `{format: "tsfx.serving_bundle", version: 1, featureSpec, rawFeatures, output}`
 * - `model.json` + `weights.bin`: the tfjs LayersModel (TensorFlow.js's own layers format)
 * - `transform_graph/`: the TransformGraph it was trained with (graph JSON and vocabularies)
 *
 * Scoring applies the transform graph (only the outputs the model reads) to raw rows, encodes
 * them with the feature spec, and runs the model: the very functions the Trainer used.
 */
export const SERVING_MODEL_DIR = 'Format-Serving';
export const SERVING_FILE = 'serving.json';

export interface ServingManifest {
  format: 'tsfx.serving_bundle';
  version: 1;
  featureSpec: FeatureSpec;
  /** The raw features scoring reads, with their types. */
  rawFeatures: { name: string; type: ValueType }[];
  output: 'probability';
}

/** Saves a LayersModel in tfjs's layers format without tfjs-node (model.json + weights.bin). */
export async function saveLayersModel(tf: Tf, model: LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const weights = Buffer.concat(parts.map((p) => Buffer.from(p)));
      writeFileSync(join(dir, 'weights.bin'), weights);
      const manifest = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

export async function loadLayersModel(tf: Tf, dir: string): Promise<LayersModel> {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[];
  };
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: manifest.modelTopology,
      weightSpecs: manifest.weightsManifest.flatMap((m) => m.weights),
      weightData,
    }),
  );
}

/** Writes a serving bundle into `dir` (the Trainer's servingModelDir). */
export async function saveServingBundle(
  tf: Tf,
  dir: string,
  model: LayersModel,
  spec: FeatureSpec,
  transform: LoadedTransformGraph,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveLayersModel(tf, model, dir);
  saveTransformGraph(join(dir, 'transform_graph'), transform);
  const fn = compileTransform(transform, specColumns(spec, false));
  const manifest: ServingManifest = {
    format: 'tsfx.serving_bundle',
    version: 1,
    featureSpec: spec,
    rawFeatures: transform.graph.rawFeatures.filter((f) => fn.requiredFeatures.includes(f.name)),
    output: 'probability',
  };
  writeJsonFile(join(dir, SERVING_FILE), manifest);
}

export interface ServingBundle {
  manifest: ServingManifest;
  model: LayersModel;
  /** The whole transform graph (its label and other outputs too), for evaluation. */
  graph: LoadedTransformGraph;
  transform: TransformFn;
  /** The transformed features (what the model reads) of raw rows. */
  transformRaw(rows: readonly RawRow[]): TransformedRow[];
  /** The probability of each raw row, in order. */
  predictRaw(rows: readonly RawRow[]): Float32Array;
  /** The same for raw examples as columns (what the Evaluator reads): the same values. */
  predictColumns(columns: RawColumns, numRows: number): Float32Array;
  /** The plain-JavaScript forward pass scoring goes through (null: TensorFlow.js's). */
  forward: ForwardPass | null;
}

/**
 * Scoring of raw columns: the transform's outputs (column by column), encoded by the feature spec,
 * through the model (`predict`). The one path of a serving bundle's columns, and of the
 * Evaluator's threads.
 */
export function columnScorer(
  graph: LoadedTransformGraph,
  spec: FeatureSpec,
  predict: (encoded: EncodedFeatures) => Float32Array,
): (columns: TypedColumns, numRows: number) => Float32Array {
  const transform = compileColumnTransform(graph, specColumns(spec, false));
  return (columns, numRows) =>
    predict(encodeFeatureColumns(spec, numRows, transform.apply(columns, numRows)));
}

/** The serving folder of a Model artifact uri (or the folder itself when it is one). */
export function servingDir(modelUri: string): string {
  if (existsSync(join(modelUri, SERVING_FILE))) return modelUri;
  const inner = join(modelUri, SERVING_MODEL_DIR);
  if (existsSync(join(inner, SERVING_FILE))) return inner;
  throw new TsfxError(
    `no serving bundle at ${modelUri} (expected ${SERVING_MODEL_DIR}/${SERVING_FILE})`,
  );
}

export async function loadServingBundle(tf: Tf, modelUri: string): Promise<ServingBundle> {
  const dir = servingDir(modelUri);
  const manifest = JSON.parse(readFileSync(join(dir, SERVING_FILE), 'utf8')) as ServingManifest;
  if (manifest.format !== 'tsfx.serving_bundle' || manifest.version !== 1) {
    throw new TsfxError(`${join(dir, SERVING_FILE)} is not a tsfx serving bundle (version 1)`);
  }
  const model = await loadLayersModel(tf, dir);
  const spec = manifest.featureSpec;
  const features = specColumns(spec, false);
  const graph = loadTransformGraph(join(dir, 'transform_graph'));
  const transform = compileTransform(graph, features);
  const transformRaw = (rows: readonly RawRow[]) => rows.map((row) => transform.apply(row));
  // Serving, `tsfx predict` and the Evaluator all score here, through one numeric path: the
  // plain-JavaScript forward pass when the model's layers allow (it skips tfjs's per-call cost),
  // else TensorFlow.js.
  const forward = compileForwardPass(model, spec);
  const predict = (encoded: EncodedFeatures) =>
    forward ? forward.predict(encoded) : predictProbabilities(tf, model, spec, encoded);
  const scoreColumns = columnScorer(graph, spec, predict);
  return {
    manifest,
    model,
    graph,
    transform,
    transformRaw,
    predictRaw: (rows) =>
      predict(
        encodeFeatures(
          spec,
          { numRows: rows.length, columns: transform.applyColumns(rows) },
          false,
        ),
      ),
    predictColumns: (columns, numRows) => scoreColumns(columnsOf(columns), numRows),
    forward,
  };
}
