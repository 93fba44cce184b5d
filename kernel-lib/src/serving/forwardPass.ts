import type { EncodedFeatures, FeatureSpec } from '../trainer/features';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Layer = import('@tensorflow/tfjs').layers.Layer;

/**
 * A tfjs LayersModel's inference as plain JavaScript over typed arrays, for the layer types tsfx
 * models are made of (InputLayer, Embedding, Flatten, Concatenate, Dense, Add, Activation).
 *
 * Why: a TensorFlow.js call costs about 2 ms of bookkeeping (tensors, kernels, disposal) whatever
 * the batch, which is most of a small request's time; these loops cost microseconds a row. It
 * computes in float64 from the float32 weights and rounds the probability to float32, so its
 * values differ from tfjs's float32 arithmetic in the last bits: serving, `tsfx predict` and the
 * Evaluator all score through this one function (the serving bundle's `predictRaw`), so they
 * agree exactly with one another.
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

type Activation = (x: number) => number;

const ACTIVATIONS: Record<string, Activation> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

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

function activation(name: unknown): Activation {
  const f = ACTIVATIONS[String(name ?? 'linear')];
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
      return { inputs: names, op: (_, [x]) => ({ width: x.width, data: x.data.map(f) }) };
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
  const [kernel, bias] = config.useBias === false ? [weightsOf(layer)[0], null] : weightsOf(layer);
  const units = Number(config.units);
  const [source] = inbound;
  const parts: Part[] =
    className(source) === 'Concatenate'
      ? inboundOf(source).map((l) => partOf(l, inputKind))
      : [partOf(source, inputKind)];
  const valueParts = parts.filter((p) => p.kind === 'values');
  // Per embedded part: each categorical feature's ids times its rows of the kernel.
  let row = 0;
  const pieces: (
    { kind: 'values'; from: number; width: number } | { kind: 'embedded'; tables: Float64Array[] }
  )[] = [];
  for (const part of parts) {
    if (part.kind === 'values') {
      pieces.push({ kind: 'values', from: row, width: part.width });
      row += part.width;
      continue;
    }
    const [table] = weightsOf(part.layer);
    const dim = Number(part.layer.getConfig().outputDim);
    const tables = spec.categorical.map(({ numValues, offset }, slot) => {
      const folded = new Float64Array(numValues * units);
      for (let v = 0; v < numValues; v++) {
        for (let c = 0; c < dim; c++) {
          const e = table[(offset + v) * dim + c];
          const w = (row + slot * dim + c) * units;
          for (let u = 0; u < units; u++) folded[v * units + u] += e * kernel[w + u];
        }
      }
      return folded;
    });
    pieces.push({ kind: 'embedded', tables });
    row += spec.categorical.length * dim;
  }
  if (row * units !== kernel.length) throw new Unsupported(`${layer.name}: kernel shape`);
  const valueInputs = valueParts.map((p) => (p.kind === 'values' ? p.layer : ''));
  const k = spec.categorical.length;
  const offsets = spec.categorical.map((c) => c.offset);
  return {
    inputs: valueInputs,
    op: (batch, inputs) => {
      const out = new Float64Array(batch.n * units);
      const acc = new Float64Array(units);
      for (let r = 0; r < batch.n; r++) {
        if (bias) for (let u = 0; u < units; u++) acc[u] = bias[u];
        else acc.fill(0);
        let next = 0;
        for (const piece of pieces) {
          if (piece.kind === 'values') {
            const x = inputs[next++];
            for (let c = 0; c < piece.width; c++) {
              const v = x.data[r * piece.width + c];
              if (v === 0) continue;
              const w = (piece.from + c) * units;
              for (let u = 0; u < units; u++) acc[u] += v * kernel[w + u];
            }
          } else {
            for (let slot = 0; slot < k; slot++) {
              const v = batch.ids[r * k + slot] - offsets[slot];
              const table = piece.tables[slot];
              if (!(v >= 0 && v * units < table.length)) {
                throw new Error(
                  `${layer.name}: id ${v + offsets[slot]} outside feature ${spec.categorical[slot].name}'s range`,
                );
              }
              const w = v * units;
              for (let u = 0; u < units; u++) acc[u] += table[w + u];
            }
          }
        }
        for (let u = 0; u < units; u++) out[r * units + u] = f(acc[u]);
      }
      return { width: units, data: out };
    },
  };
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
