import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ModelLayer, ModelPayload } from '@tsfx/protocol';
import { errorMessage, TsfxError } from '../errors';
import type { ArtifactRecord } from '../metadata/types';
import { DTYPES, SIGNATURES } from '../serving/signatures';
import { SERVING_FILE, servingDir, type ServingManifest } from '../trainer/servingBundle';
import { artifactRef } from './examplesView';

/**
 * The model payload of a Model artifact, read from its saved files only: `model.json` (the Keras
 * topology tfjs saves, and the weights manifest), `serving.json` (the raw features the bundle
 * reads) and the sizes of the files. Output shapes are inferred from the layers' configurations
 * as Keras would (for the layer classes listed in OUTPUT_SHAPES; others read `?`), parameter
 * counts come from the weights manifest.
 */

type Shape = (number | null)[];

interface LayerJson {
  name?: string;
  class_name: string;
  config: Record<string, unknown> & { name?: string; trainable?: boolean };
  /** Functional models: per call, the inbound `[layer, node, tensor, kwargs]` of each input. */
  inbound_nodes?: [string, number, number, unknown?][][];
}

interface ModelJson {
  generatedBy?: string;
  modelTopology: {
    class_name: string;
    config: {
      name?: string;
      layers: LayerJson[];
      input_layers?: [string, number, number][];
      output_layers?: [string, number, number][];
    };
  };
  weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[];
}

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  float16: 2,
  bool: 1,
  uint8: 1,
  int8: 1,
  int16: 2,
};

const product = (dims: readonly (number | null)[]): number | null =>
  dims.every((d): d is number => d !== null) ? dims.reduce((a, b) => a * b, 1) : null;

/** How a layer class shapes its output from its (first) inputs' shapes, as Keras does. */
const OUTPUT_SHAPES: Record<
  string,
  (config: LayerJson['config'], inputs: Shape[]) => Shape | null
> = {
  Dense: (c, [x]) => [...x!.slice(0, -1), c.units as number],
  Embedding: (c, [x]) => [...x!, c.output_dim as number],
  Flatten: (_, [x]) => [x![0]!, product(x!.slice(1))],
  Concatenate: (c, xs) => {
    const rank = xs[0]!.length;
    const axis =
      ((c.axis as number | undefined) ?? -1) < 0
        ? rank + ((c.axis as number) ?? -1)
        : (c.axis as number);
    const sizes = xs.map((x) => x[axis] ?? null);
    const out = [...xs[0]!];
    out[axis] = sizes.every((d): d is number => d !== null)
      ? sizes.reduce((a, b) => a + b, 0)
      : null;
    return out;
  },
  Reshape: (c, [x]) => [x![0]!, ...(c.target_shape as number[])],
  Add: (_, xs) => xs[0]!,
  Subtract: (_, xs) => xs[0]!,
  Multiply: (_, xs) => xs[0]!,
  Average: (_, xs) => xs[0]!,
  Maximum: (_, xs) => xs[0]!,
  Minimum: (_, xs) => xs[0]!,
  Activation: (_, [x]) => x!,
  Dropout: (_, [x]) => x!,
  BatchNormalization: (_, [x]) => x!,
  LayerNormalization: (_, [x]) => x!,
  ReLU: (_, [x]) => x!,
  Softmax: (_, [x]) => x!,
};

function readModelJson(path: string): ModelJson {
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (error) {
    throw new TsfxError(`cannot read ${path}: ${errorMessage(error)}`);
  }
  if (!Array.isArray(json?.modelTopology?.config?.layers) || !Array.isArray(json.weightsManifest)) {
    throw new TsfxError(
      `${path}: not a tfjs layers model (modelTopology.config.layers, weightsManifest)`,
    );
  }
  return json;
}

/** Each layer's name, class, inbound layers and configuration, in the model's order. */
function layersOf(model: ModelJson['modelTopology']): {
  name: string;
  json: LayerJson;
  inbound: string[];
}[] {
  const sequential = model.class_name === 'Sequential';
  return model.config.layers.map((json, i) => {
    const name = json.name ?? json.config.name ?? `layer_${i}`;
    const inbound = sequential
      ? i === 0
        ? []
        : [model.config.layers[i - 1]!.config.name ?? `layer_${i - 1}`]
      : (json.inbound_nodes ?? []).flatMap((node) => node.map(([layer]) => layer));
    return { name, json, inbound };
  });
}

/** Output shapes by layer name, inferred in the model's order (null: unknown). */
function inferShapes(layers: ReturnType<typeof layersOf>): Map<string, Shape | null> {
  const shapes = new Map<string, Shape | null>();
  for (const { name, json, inbound } of layers) {
    const declared = json.config.batch_input_shape as Shape | undefined;
    if (json.class_name === 'InputLayer' || (inbound.length === 0 && declared)) {
      const input = declared ?? null;
      if (json.class_name === 'InputLayer') {
        shapes.set(name, input);
        continue;
      }
      shapes.set(`${name}:input`, input);
    }
    const inputs =
      inbound.length > 0
        ? inbound.map((l) => shapes.get(l) ?? null)
        : [shapes.get(`${name}:input`) ?? null];
    const rule = OUTPUT_SHAPES[json.class_name];
    let shape: Shape | null = null;
    if (rule && inputs.length > 0 && inputs.every((s) => s !== null)) {
      try {
        shape = rule(json.config, inputs as Shape[]);
      } catch {
        shape = null;
      }
    }
    shapes.set(name, shape);
  }
  return shapes;
}

function filesOf(root: string): ModelPayload['files'] {
  const files: ModelPayload['files'] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        files.push({ path: relative(root, path).split(sep).join('/'), bytes: statSync(path).size });
    }
  };
  walk(root);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function modelPayload(artifact: ArtifactRecord, producer: string | null): ModelPayload {
  const dir = servingDir(artifact.uri);
  const modelPath = join(dir, 'model.json');
  const json = readModelJson(modelPath);
  const manifest = JSON.parse(readFileSync(join(dir, SERVING_FILE), 'utf8')) as ServingManifest;
  const topology = json.modelTopology;
  const layers = layersOf(topology);
  const shapes = inferShapes(layers);
  const weights = json.weightsManifest.flatMap((group) => group.weights);
  const bytesOf = (w: { shape: number[]; dtype: string }): number =>
    (product(w.shape) ?? 0) * (DTYPE_BYTES[w.dtype] ?? 4);
  const counts = {
    total: 0,
    trainable: 0,
    nonTrainable: 0,
    totalBytes: 0,
    trainableBytes: 0,
    nonTrainableBytes: 0,
  };
  const summary: ModelLayer[] = layers.map(({ name, json: layer, inbound }) => {
    // Keras: a frozen layer's weights, and a batch norm's moving statistics, are not trained.
    const own = weights
      .filter((w) => w.name.split('/')[0] === name)
      .map((w) => ({
        name: w.name,
        shape: w.shape,
        dtype: w.dtype,
        trainable: layer.config.trainable !== false && !/moving_(mean|variance)/.test(w.name),
      }));
    let params = 0;
    let trainableParams = 0;
    for (const w of own) {
      const n = product(w.shape) ?? 0;
      const trainable = w.trainable;
      params += n;
      counts.total += n;
      counts.totalBytes += bytesOf(w);
      if (trainable) {
        trainableParams += n;
        counts.trainable += n;
        counts.trainableBytes += bytesOf(w);
      } else {
        counts.nonTrainable += n;
        counts.nonTrainableBytes += bytesOf(w);
      }
    }
    const activation = typeof layer.config.activation === 'string' ? layer.config.activation : null;
    return {
      name,
      className: layer.class_name,
      outputShape: shapes.get(name) ?? null,
      params,
      trainableParams,
      inbound,
      activation,
      weights: own,
    };
  });
  const first = (refs: [string, number, number][] | undefined, fallback: string[]): string[] =>
    refs ? refs.map(([name]) => name) : fallback;
  return {
    kind: 'model',
    artifact: artifactRef(artifact, producer),
    name: topology.config.name ?? 'model',
    className: topology.class_name === 'Model' ? 'Functional' : topology.class_name,
    layers: summary,
    inputLayers: first(
      topology.config.input_layers,
      summary.slice(0, 1).map((l) => l.name),
    ),
    outputLayers: first(
      topology.config.output_layers,
      summary.slice(-1).map((l) => l.name),
    ),
    params: counts,
    inputs: manifest.rawFeatures.map((f) => ({
      name: f.name,
      type: f.type,
      dtype: DTYPES[f.type],
    })),
    signatures: Object.entries(SIGNATURES).map(([name, signature]) => ({
      name,
      method: signature.method,
      outputs: Object.entries(signature.outputs).map(([output, o]) => ({
        name: output,
        dtype: o.dtype,
        shape: o.shape,
      })),
    })),
    files: filesOf(artifact.uri),
    generatedBy: json.generatedBy ?? null,
  };
}
