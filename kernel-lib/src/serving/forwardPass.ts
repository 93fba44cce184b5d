import type { EncodedFeatures, FeatureSpec } from '../trainer/features';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Layer = import('@tensorflow/tfjs').layers.Layer;

/**
 * A tfjs LayersModel's inference as plain JavaScript over typed arrays, for the layer types tsfx
 * models are made of (InputLayer, Embedding, Flatten, Concatenate, Dense, Add, Activation).
 *
 * Why: a TensorFlow.js call costs about 2 ms of bookkeeping (tensors, kernels, disposal) whatever
 * the batch, which is most of a small request's time; these loops cost microseconds a row. It
 * sums in float64 (folded tables are kept as float32, like the weights) and rounds the
 * probability to float32, so its values differ from tfjs's float32 arithmetic in the last bits:
 * serving, `tsfx predict` and the Evaluator all score through this one function (the serving
 * bundle's `predictRaw` and `predictColumns`), so they agree exactly with one another.
 *
 * A Dense layer reading a concatenation that contains embeddings of categorical ids is folded:
 * each id's embedding times its slice of the kernel is computed once at compile time (ids of a
 * feature lie in its own range of the shared id space), so a row adds one precomputed vector per
 * categorical feature instead of multiplying every embedding component — the same sum, reordered.
 */
export interface ForwardPass {
  /** The probability of each encoded row. */
  predict(data: EncodedFeatures): Float32Array;
}

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
type ActivationName = (typeof ACTIVATIONS)[number];

/** One layer's outputs for a batch: `width` values a row, row-major. */
interface Values {
  width: number;
  data: Float64Array;
}

interface Batch {
  n: number;
  dense: Float32Array;
  ids: Int32Array;
}

type Op = (batch: Batch, inputs: Values[]) => Values;

/** A part of a concatenation: either a computed tensor or embedded ids (folded into a Dense). */
type Part = { kind: 'values'; layer: string; width: number } | { kind: 'embedded'; layer: Layer };

const weightsOf = (layer: Layer): Float32Array[] =>
  layer.getWeights().map((w) => w.dataSync() as Float32Array);

const className = (layer: Layer): string => layer.getClassName();

/**
 * Compiles a model into a forward pass, or gives null when it has a layer (or a layer setting)
 * this interpreter does not know: the caller then keeps TensorFlow.js.
 */
export function compileForwardPass(model: LayersModel, spec: FeatureSpec): ForwardPass | null {
  try {
    return compile(model, spec);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

class Unsupported extends Error {}

function activation(name: unknown): ActivationName {
  const f = ACTIVATIONS.find((a) => a === (name ?? 'linear'));
  if (!f) throw new Unsupported(`activation ${String(name)}`);
  return f;
}

function inboundOf(layer: Layer): Layer[] {
  if (layer.inboundNodes.length !== 1) throw new Unsupported(`${layer.name} is shared`);
  return layer.inboundNodes[0].inboundLayers;
}

function compile(model: LayersModel, spec: FeatureSpec): ForwardPass {
  const d = spec.dense.length;
  const k = spec.categorical.length;
  // Model inputs in modelInputs' order: dense (if any), then ids (if any).
  const inputKinds: ('dense' | 'ids')[] = [
    ...(d > 0 ? ['dense' as const] : []),
    ...(k > 0 ? ['ids' as const] : []),
  ];
  if (model.inputLayers.length !== inputKinds.length || model.outputs.length !== 1) {
    throw new Unsupported('inputs or outputs');
  }
  const inputKind = new Map(model.inputLayers.map((l, i) => [l.name, inputKinds[i]]));
  const ops = new Map<string, { op: Op; inputs: string[] }>();
  const order: string[] = [];
  // Depth first from the output, along what each compiled op reads (a folded embedding is not).
  const visit = (layer: Layer): void => {
    if (ops.has(layer.name)) return;
    const inbound = className(layer) === 'InputLayer' ? [] : inboundOf(layer);
    const compiled = compileLayer(layer, inbound, inputKind, spec);
    ops.set(layer.name, compiled);
    for (const name of compiled.inputs) visit(model.getLayer(name));
    order.push(layer.name);
  };
  const outputLayer = model.outputLayers[0];
  visit(outputLayer);
  const plan = order.map((name) => ({ name, ...ops.get(name)! }));
  return {
    predict(data) {
      const n = data.numRows;
      const out = new Float32Array(n);
      // Row blocks keep the intermediate arrays small (they stay in cache).
      const block = 256;
      for (let start = 0; start < n; start += block) {
        const count = Math.min(block, n - start);
        const batch: Batch = {
          n: count,
          dense: data.dense.subarray(start * d, (start + count) * d),
          ids: data.ids.subarray(start * k, (start + count) * k),
        };
        const values = new Map<string, Values>();
        for (const step of plan) {
          values.set(
            step.name,
            step.op(
              batch,
              step.inputs.map((name) => values.get(name)!),
            ),
          );
        }
        const result = values.get(outputLayer.name)!;
        if (result.width !== 1)
          throw new Error(`the model's output has ${result.width} values a row`);
        for (let i = 0; i < count; i++) out[start + i] = result.data[i];
      }
      return out;
    },
  };
}

function compileLayer(
  layer: Layer,
  inbound: Layer[],
  inputKind: Map<string, 'dense' | 'ids'>,
  spec: FeatureSpec,
): { op: Op; inputs: string[] } {
  const config = layer.getConfig();
  const names = inbound.map((l) => l.name);
  switch (className(layer)) {
    case 'InputLayer': {
      const kind = inputKind.get(layer.name);
      const width = kind === 'dense' ? spec.dense.length : spec.categorical.length;
      return {
        inputs: [],
        op: (batch) => {
          const source = kind === 'dense' ? batch.dense : batch.ids;
          return { width, data: Float64Array.from(source) };
        },
      };
    }
    case 'Flatten':
      return { inputs: names, op: (_, [x]) => x };
    case 'Embedding': {
      const [table] = weightsOf(layer);
      const dim = Number(config.outputDim);
      const rows = Number(config.inputDim);
      return {
        inputs: names,
        op: (batch, [x]) => {
          const out = new Float64Array(x.data.length * dim);
          for (let i = 0; i < x.data.length; i++) {
            const id = x.data[i];
            if (!(id >= 0 && id < rows)) throw new Error(`embedding ${layer.name}: id ${id}`);
            for (let c = 0; c < dim; c++) out[i * dim + c] = table[id * dim + c];
          }
          return { width: x.width * dim, data: out };
        },
      };
    }
    case 'Concatenate': {
      if (config.axis !== -1 && config.axis !== 1) throw new Unsupported('concatenate axis');
      return {
        inputs: names,
        op: (batch, parts) => {
          const width = parts.reduce((w, p) => w + p.width, 0);
          const out = new Float64Array(batch.n * width);
          let at = 0;
          for (const part of parts) {
            for (let r = 0; r < batch.n; r++) {
              for (let c = 0; c < part.width; c++)
                out[r * width + at + c] = part.data[r * part.width + c];
            }
            at += part.width;
          }
          return { width, data: out };
        },
      };
    }
    case 'Dense':
      return compileDense(layer, inbound, inputKind, spec);
    case 'Add':
      return {
        inputs: names,
        op: (_, parts) => {
          const out = Float64Array.from(parts[0].data);
          for (const part of parts.slice(1)) {
            if (part.width !== parts[0].width) throw new Unsupported('add broadcasting');
            for (let i = 0; i < out.length; i++) out[i] += part.data[i];
          }
          return { width: parts[0].width, data: out };
        },
      };
    case 'Activation': {
      const f = activation(config.activation);
      return {
        inputs: names,
        op: (_, [x]) => {
          const data = Float64Array.from(x.data);
          activate(data, f);
          return { width: x.width, data };
        },
      };
    }
    default:
      throw new Unsupported(className(layer));
  }
}

/** y = act(x W + b); an input concatenation's embedded ids are folded (see above). */
function compileDense(
  layer: Layer,
  inbound: Layer[],
  inputKind: Map<string, 'dense' | 'ids'>,
  spec: FeatureSpec,
): { op: Op; inputs: string[] } {
  const config = layer.getConfig();
  const f = activation(config.activation);
  const [kernel32, bias32] =
    config.useBias === false ? [weightsOf(layer)[0], null] : weightsOf(layer);
  const units = Number(config.units);
  const [source] = inbound;
  const parts: Part[] =
    className(source) === 'Concatenate'
      ? inboundOf(source).map((l) => partOf(l, inputKind))
      : [partOf(source, inputKind)];
  const kernel = kernel32;
  const bias = bias32 ? Float64Array.from(bias32) : new Float64Array(units);
  // Per embedded part, one table over the shared id space: an id's embedding times the kernel
  // rows of the feature it belongs to.
  let row = 0;
  const pieces: Piece[] = [];
  for (const part of parts) {
    if (part.kind === 'values') {
      pieces.push({ kind: 'values', from: row, width: part.width, layer: part.layer });
      row += part.width;
      continue;
    }
    const [table] = weightsOf(part.layer);
    const dim = Number(part.layer.getConfig().outputDim);
    const folded = new Float64Array(spec.numIds * units);
    spec.categorical.forEach(({ numValues, offset }, slot) => {
      for (let id = offset; id < offset + numValues; id++) {
        for (let c = 0; c < dim; c++) {
          const e = table[id * dim + c];
          const w = (row + slot * dim + c) * units;
          for (let u = 0; u < units; u++) folded[id * units + u] += e * kernel[w + u];
        }
      }
    });
    pieces.push({ kind: 'embedded', table: Float32Array.from(folded) });
    row += spec.categorical.length * dim;
  }
  if (row * units !== kernel.length) throw new Unsupported(`${layer.name}: kernel shape`);
  const k = spec.categorical.length;
  // The id range of each categorical feature, to refuse an id that is not its feature's.
  const low = Int32Array.from(spec.categorical, (c) => c.offset);
  const high = Int32Array.from(spec.categorical, (c) => c.offset + c.numValues);
  return {
    inputs: pieces.flatMap((p) => (p.kind === 'values' ? [p.layer] : [])),
    op: (batch, inputs) => {
      const n = batch.n;
      const out = new Float64Array(n * units);
      for (let r = 0; r < n; r++) out.set(bias, r * units);
      let next = 0;
      for (const piece of pieces) {
        if (piece.kind === 'values') {
          const x = inputs[next++].data;
          addProducts(out, units, n, x, piece.width, kernel, piece.from * units);
          continue;
        }
        const bad = addEmbedded(out, units, n, piece.table, batch.ids, low, high);
        if (bad >= 0) {
          const slot = bad % k;
          throw new Error(
            `${layer.name}: id ${batch.ids[bad]} outside feature ${spec.categorical[slot].name}'s range`,
          );
        }
      }
      activate(out, f);
      return { width: units, data: out };
    },
  };
}

type Piece =
  | { kind: 'values'; from: number; width: number; layer: string }
  | { kind: 'embedded'; table: Float32Array };

/** out[r] += x[r] times the kernel's rows from `kernelAt` on, for each of n rows (row-major). */
function addProducts(
  out: Float64Array,
  units: number,
  n: number,
  x: Float64Array,
  width: number,
  kernel: Float32Array,
  kernelAt: number,
): void {
  for (let r = 0; r < n; r++) {
    const o = r * units;
    const xAt = r * width;
    for (let c = 0; c < width; c++) {
      const v = x[xAt + c];
      if (v === 0) continue;
      const w = kernelAt + c * units;
      for (let u = 0; u < units; u++) out[o + u] += v * kernel[w + u];
    }
  }
}

/**
 * out[r] += the folded table's row of each of row r's ids; gives the index in `ids` of an id
 * outside its feature's range, or -1.
 */
function addEmbedded(
  out: Float64Array,
  units: number,
  n: number,
  table: Float32Array,
  ids: Int32Array,
  low: Int32Array,
  high: Int32Array,
): number {
  const k = low.length;
  for (let r = 0; r < n; r++) {
    const o = r * units;
    for (let slot = 0; slot < k; slot++) {
      const id = ids[r * k + slot];
      if (!(id >= low[slot] && id < high[slot])) return r * k + slot;
      const w = id * units;
      for (let u = 0; u < units; u++) out[o + u] += table[w + u];
    }
  }
  return -1;
}

function activate(values: Float64Array, f: ActivationName): void {
  const n = values.length;
  switch (f) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (!(values[i] > 0)) values[i] = 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) values[i] = Math.tanh(values[i]);
  }
}

/** What a concatenation part is: embedded ids (Flatten of an Embedding of the ids input) or values. */
function partOf(layer: Layer, inputKind: Map<string, 'dense' | 'ids'>): Part {
  if (className(layer) === 'Flatten') {
    const [inner] = inboundOf(layer);
    if (className(inner) === 'Embedding' && inputKind.get(inboundOf(inner)[0].name) === 'ids') {
      return { kind: 'embedded', layer: inner };
    }
  }
  const shape = layer.outputShape as (number | null)[];
  if (!Array.isArray(shape) || shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new Unsupported(`${layer.name}: output shape`);
  }
  return { kind: 'values', layer: layer.name, width: shape[1] };
}
