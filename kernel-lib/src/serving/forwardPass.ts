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
  /** The compiled model as plain data (typed arrays): it can be posted to a worker thread. */
  readonly plan: ForwardPlan;
}

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * A model's layers as steps over a block of rows, each reading earlier steps (by index): what
 * `predict` interprets. Plain data, so a worker thread gets the same pass by structured clone.
 */
export interface ForwardPlan {
  steps: PlanStep[];
  /** The step whose single value a row is the probability. */
  output: number;
  /** Per categorical slot: its feature and its range of the shared id space, [low, high). */
  slots: { name: string; low: number; high: number }[];
}

type PlanStep = { width: number; inputs: number[] } & StepOp;

/** What a step does (its layer's kind and weights). */
type StepOp =
  | { op: 'dense input' | 'ids input' | 'flatten' | 'concatenate' | 'add' }
  | { op: 'embedding'; layer: string; table: Float32Array; dim: number; rows: number }
  | { op: 'activation'; activation: ActivationName }
  | {
      op: 'dense';
      layer: string;
      activation: ActivationName;
      bias: Float64Array;
      /** In input order; a `values` piece reads the step's next input. */
      pieces: Piece[];
    };

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
    return forwardPassOfPlan(compile(model, spec));
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

/** A step before its inputs are resolved from layer names to step indices. */
type Compiled = { inputs: string[]; step: StepOp; width: number[] };

function compile(model: LayersModel, spec: FeatureSpec): ForwardPlan {
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
  const index = new Map<string, number>();
  const steps: PlanStep[] = [];
  // Depth first from the output, along what each compiled step reads (a folded embedding is not).
  const visit = (layer: Layer): number => {
    const seen = index.get(layer.name);
    if (seen !== undefined) return seen;
    const inbound = className(layer) === 'InputLayer' ? [] : inboundOf(layer);
    const compiled = compileLayer(layer, inbound, inputKind, spec);
    const inputs = compiled.inputs.map((name) => visit(model.getLayer(name)));
    const widths = inputs.map((i) => steps[i].width);
    const width = widthOf(compiled.step, widths, compiled.width);
    steps.push({ ...compiled.step, inputs, width } as PlanStep);
    index.set(layer.name, steps.length - 1);
    return steps.length - 1;
  };
  const output = visit(model.outputLayers[0]);
  if (steps[output].width !== 1) {
    throw new Unsupported(`the model's output has ${steps[output].width} values a row`);
  }
  const slots = spec.categorical.map((c) => ({
    name: c.name,
    low: c.offset,
    high: c.offset + c.numValues,
  }));
  return { steps, output, slots };
}

/** A step's values a row, from its inputs' (`fixed`: known from the layer itself). */
function widthOf(step: Compiled['step'], inputs: number[], fixed: number[]): number {
  switch (step.op) {
    case 'dense input':
    case 'ids input':
    case 'dense':
      return fixed[0];
    case 'embedding':
      return inputs[0] * step.dim;
    case 'concatenate':
      return inputs.reduce((a, b) => a + b, 0);
    case 'add':
      if (inputs.some((w) => w !== inputs[0])) throw new Unsupported('add broadcasting');
      return inputs[0];
    default:
      return inputs[0];
  }
}

function compileLayer(
  layer: Layer,
  inbound: Layer[],
  inputKind: Map<string, 'dense' | 'ids'>,
  spec: FeatureSpec,
): Compiled {
  const config = layer.getConfig();
  const inputs = inbound.map((l) => l.name);
  switch (className(layer)) {
    case 'InputLayer': {
      const kind = inputKind.get(layer.name);
      const width = kind === 'dense' ? spec.dense.length : spec.categorical.length;
      return {
        inputs,
        step: { op: kind === 'dense' ? 'dense input' : 'ids input' },
        width: [width],
      };
    }
    case 'Flatten':
      return { inputs, step: { op: 'flatten' }, width: [] };
    case 'Embedding': {
      const [table] = weightsOf(layer);
      const step = {
        op: 'embedding' as const,
        layer: layer.name,
        table,
        dim: Number(config.outputDim),
        rows: Number(config.inputDim),
      };
      return { inputs, step, width: [] };
    }
    case 'Concatenate':
      if (config.axis !== -1 && config.axis !== 1) throw new Unsupported('concatenate axis');
      return { inputs, step: { op: 'concatenate' }, width: [] };
    case 'Dense':
      return compileDense(layer, inbound, inputKind, spec);
    case 'Add':
      return { inputs, step: { op: 'add' }, width: [] };
    case 'Activation':
      return {
        inputs,
        step: { op: 'activation', activation: activation(config.activation) },
        width: [],
      };
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
): Compiled {
  const config = layer.getConfig();
  const f = activation(config.activation);
  const [kernel, bias32] =
    config.useBias === false ? [weightsOf(layer)[0], null] : weightsOf(layer);
  const units = Number(config.units);
  const [source] = inbound;
  const parts: Part[] =
    className(source) === 'Concatenate'
      ? inboundOf(source).map((l) => partOf(l, inputKind))
      : [partOf(source, inputKind)];
  const bias = bias32 ? Float64Array.from(bias32) : new Float64Array(units);
  // Per embedded part, one table over the shared id space: an id's embedding times the kernel
  // rows of the feature it belongs to.
  let row = 0;
  const pieces: Piece[] = [];
  const inputs: string[] = [];
  for (const part of parts) {
    if (part.kind === 'values') {
      // Its kernel rows transposed: a unit's weights side by side (a dot product a unit).
      const weights = new Float32Array(units * part.width);
      for (let u = 0; u < units; u++) {
        for (let c = 0; c < part.width; c++) {
          weights[u * part.width + c] = kernel[(row + c) * units + u];
        }
      }
      pieces.push({ kind: 'values', width: part.width, weights });
      inputs.push(part.layer);
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
  return {
    inputs,
    step: { op: 'dense', layer: layer.name, activation: f, bias, pieces },
    width: [units],
  };
}

/** A forward pass from its plan (in this thread or another). */
export function forwardPassOfPlan(plan: ForwardPlan): ForwardPass {
  // Row blocks keep the intermediate arrays small (they stay in cache); one buffer a step, reused.
  const block = 256;
  // The first Dense layer reading embedded ids: the one an id outside its feature's range names.
  const folding = plan.steps.find(
    (step) => step.op === 'dense' && step.pieces.some((p) => p.kind === 'embedded'),
  );
  const lows = Int32Array.from(plan.slots, (slot) => slot.low);
  const highs = Int32Array.from(plan.slots, (slot) => slot.high);
  return {
    plan,
    predict(data) {
      const n = data.numRows;
      if (folding?.op === 'dense') checkIds(folding.layer, data.ids, n, lows, highs, plan);
      const out = new Float32Array(n);
      const buffers = plan.steps.map((step) =>
        step.op === 'flatten' ? null : new Float64Array(block * step.width),
      );
      const values: Float64Array[] = [];
      for (let start = 0; start < n; start += block) {
        const count = Math.min(block, n - start);
        plan.steps.forEach((step, s) => {
          values[s] = runStep(step, buffers[s], values, data, start, count, plan);
        });
        const result = values[plan.output];
        for (let i = 0; i < count; i++) out[start + i] = result[i];
      }
      return out;
    },
  };
}

/** Every id lies in its feature's range of the shared id space (else another feature's weights). */
function checkIds(
  layer: string,
  ids: Int32Array,
  n: number,
  lows: Int32Array,
  highs: Int32Array,
  plan: ForwardPlan,
): void {
  const k = lows.length;
  for (let r = 0; r < n; r++) {
    for (let slot = 0; slot < k; slot++) {
      const id = ids[r * k + slot];
      if (!(id >= lows[slot] && id < highs[slot])) {
        throw new Error(`${layer}: id ${id} outside feature ${plan.slots[slot].name}'s range`);
      }
    }
  }
}

/** One step over rows [start, start + count): its values, row-major, in `buffer`. */
function runStep(
  step: PlanStep,
  buffer: Float64Array | null,
  values: Float64Array[],
  data: EncodedFeatures,
  start: number,
  count: number,
  plan: ForwardPlan,
): Float64Array {
  const out = buffer!;
  const width = step.width;
  const size = count * width;
  switch (step.op) {
    case 'dense input':
    case 'ids input': {
      const source = step.op === 'dense input' ? data.dense : data.ids;
      for (let i = 0; i < size; i++) out[i] = source[start * width + i];
      return out;
    }
    case 'flatten':
      return values[step.inputs[0]];
    case 'embedding': {
      const x = values[step.inputs[0]];
      const { table, dim, rows } = step;
      for (let i = 0; i < count * (width / dim); i++) {
        const id = x[i];
        if (!(id >= 0 && id < rows)) throw new Error(`embedding ${step.layer}: id ${id}`);
        for (let c = 0; c < dim; c++) out[i * dim + c] = table[id * dim + c];
      }
      return out;
    }
    case 'concatenate': {
      let at = 0;
      for (const input of step.inputs) {
        const part = values[input];
        const w = plan.steps[input].width;
        for (let r = 0; r < count; r++) {
          for (let c = 0; c < w; c++) out[r * width + at + c] = part[r * w + c];
        }
        at += w;
      }
      return out;
    }
    case 'add': {
      out.set(values[step.inputs[0]].subarray(0, size));
      for (const input of step.inputs.slice(1)) {
        const part = values[input];
        for (let i = 0; i < size; i++) out[i] += part[i];
      }
      return out;
    }
    case 'activation':
      out.set(values[step.inputs[0]].subarray(0, size));
      activate(out, size, step.activation);
      return out;
    case 'dense':
      runDense(step, out, values, data.ids.subarray(start * plan.slots.length), count, plan);
      return out;
  }
}

/**
 * y = act(x W + b) over `count` rows, into `out`. Each unit's value is summed in a local, in the
 * order bias, then each piece's terms (a values piece's columns in order, an embedded piece's
 * ids in slot order), in float64: the same sum whatever the loop order around it.
 */
function runDense(
  step: Extract<PlanStep, { op: 'dense' }>,
  out: Float64Array,
  values: Float64Array[],
  ids: Int32Array,
  count: number,
  plan: ForwardPlan,
): void {
  const units = step.width;
  const k = plan.slots.length;
  // The ids were checked against their features' ranges once, in `predict`.
  const bases = new Int32Array(k);
  const bias = step.bias;
  for (let r = 0; r < count; r++) {
    const o = r * units;
    for (let u = 0; u < units; u++) out[o + u] = bias[u];
    let next = 0;
    for (const piece of step.pieces) {
      if (piece.kind === 'values') {
        const x = values[step.inputs[next++]];
        addDots(out, o, units, x, r * piece.width, piece.width, piece.weights);
      } else {
        for (let slot = 0; slot < k; slot++) bases[slot] = ids[r * k + slot] * units;
        addRows(out, o, units, piece.table, bases);
      }
    }
  }
  activate(out, count * units, step.activation);
}

type Piece =
  | { kind: 'values'; width: number; weights: Float32Array }
  | { kind: 'embedded'; table: Float32Array };

/**
 * out[o + u] += the dot product of x[xAt…xAt + width) and unit u's weights, for every unit
 * (terms in column order; zero inputs, as after a ReLU, skipped). The non-zero inputs are
 * gathered first, so the loops over units do not branch; eight units at a time, in registers.
 */
function addDots(
  out: Float64Array,
  o: number,
  units: number,
  x: Float64Array,
  xAt: number,
  width: number,
  weights: Float32Array,
): void {
  if (gathered.length < width) {
    gathered = new Float64Array(width);
    gatheredAt = new Int32Array(width);
  }
  const xs = gathered;
  const cs = gatheredAt;
  let m = 0;
  for (let c = 0; c < width; c++) {
    const v = x[xAt + c];
    xs[m] = v;
    cs[m] = c;
    m += v !== 0 ? 1 : 0;
  }
  let u = 0;
  for (; u + 8 <= units; u += 8) {
    let a0 = out[o + u];
    let a1 = out[o + u + 1];
    let a2 = out[o + u + 2];
    let a3 = out[o + u + 3];
    let a4 = out[o + u + 4];
    let a5 = out[o + u + 5];
    let a6 = out[o + u + 6];
    let a7 = out[o + u + 7];
    const w0 = u * width;
    const w1 = w0 + width;
    const w2 = w1 + width;
    const w3 = w2 + width;
    const w4 = w3 + width;
    const w5 = w4 + width;
    const w6 = w5 + width;
    const w7 = w6 + width;
    for (let j = 0; j < m; j++) {
      const v = xs[j];
      const c = cs[j];
      a0 += v * weights[w0 + c];
      a1 += v * weights[w1 + c];
      a2 += v * weights[w2 + c];
      a3 += v * weights[w3 + c];
      a4 += v * weights[w4 + c];
      a5 += v * weights[w5 + c];
      a6 += v * weights[w6 + c];
      a7 += v * weights[w7 + c];
    }
    out[o + u] = a0;
    out[o + u + 1] = a1;
    out[o + u + 2] = a2;
    out[o + u + 3] = a3;
    out[o + u + 4] = a4;
    out[o + u + 5] = a5;
    out[o + u + 6] = a6;
    out[o + u + 7] = a7;
  }
  for (; u < units; u++) {
    let a = out[o + u];
    const w = u * width;
    for (let j = 0; j < m; j++) a += xs[j] * weights[w + cs[j]];
    out[o + u] = a;
  }
}

/** addDots' scratch: the non-zero inputs of a row and their columns. */
let gathered = new Float64Array(64);
let gatheredAt = new Int32Array(64);

/**
 * out[o + u] += table[base + u] for each base (a folded id's row), in order, for every unit;
 * eight units at a time, summed in registers.
 */
function addRows(
  out: Float64Array,
  o: number,
  units: number,
  table: Float32Array,
  bases: Int32Array,
): void {
  const k = bases.length;
  let u = 0;
  for (; u + 8 <= units; u += 8) {
    let a0 = out[o + u];
    let a1 = out[o + u + 1];
    let a2 = out[o + u + 2];
    let a3 = out[o + u + 3];
    let a4 = out[o + u + 4];
    let a5 = out[o + u + 5];
    let a6 = out[o + u + 6];
    let a7 = out[o + u + 7];
    for (let slot = 0; slot < k; slot++) {
      const b = bases[slot] + u;
      a0 += table[b];
      a1 += table[b + 1];
      a2 += table[b + 2];
      a3 += table[b + 3];
      a4 += table[b + 4];
      a5 += table[b + 5];
      a6 += table[b + 6];
      a7 += table[b + 7];
    }
    out[o + u] = a0;
    out[o + u + 1] = a1;
    out[o + u + 2] = a2;
    out[o + u + 3] = a3;
    out[o + u + 4] = a4;
    out[o + u + 5] = a5;
    out[o + u + 6] = a6;
    out[o + u + 7] = a7;
  }
  for (; u < units; u++) {
    let a = out[o + u];
    for (let slot = 0; slot < k; slot++) a += table[bases[slot] + u];
    out[o + u] = a;
  }
}

/** The activation of the first n values, in place. */
function activate(values: Float64Array, n: number, f: ActivationName): void {
  switch (f) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = values[i];
        values[i] = v > 0 ? v : 0;
      }
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
