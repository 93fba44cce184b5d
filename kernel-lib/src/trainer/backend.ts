import { dirname, join } from 'node:path';
import { TsfxError } from '../errors';

export type Tf = typeof import('@tensorflow/tfjs');
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface LoadedTf {
  tf: Tf;
  /** The backend in use: `tensorflow` (tfjs-node), `wasm` or `cpu`. */
  backend: string;
}

let loaded: Promise<LoadedTf> | null = null;
let loadedChoice: BackendChoice | null = null;

/** True when the optional peer `@tensorflow/tfjs-node` can be loaded here. */
export function tfjsNodeAvailable(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/**
 * TensorFlow.js for training and serving: `@tensorflow/tfjs-node` (native TensorFlow) when it is
 * installed and `auto` is asked, else `@tensorflow/tfjs` on the WebAssembly backend (SIMD; the
 * wasm files are read from the installed package). `cpu` is the pure-JavaScript backend. One
 * backend per process: asking for another one later is an error.
 */
export function loadTf(choice: BackendChoice = 'auto'): Promise<LoadedTf> {
  const resolved: BackendChoice =
    choice === 'auto' ? (tfjsNodeAvailable() ? 'tensorflow' : 'wasm') : choice;
  if (loaded && loadedChoice !== resolved) {
    return loaded.then((l) => {
      if (l.backend !== resolved) {
        throw new TsfxError(
          `TensorFlow.js already runs on the ${l.backend} backend in this process; cannot switch to ${resolved}`,
        );
      }
      return l;
    });
  }
  loadedChoice = resolved;
  loaded ??= initTf(resolved);
  return loaded;
}

async function initTf(choice: Exclude<BackendChoice, 'auto'>): Promise<LoadedTf> {
  if (choice === 'tensorflow') {
    const name = '@tensorflow/tfjs-node';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require(name) as Tf;
    await tf.setBackend('tensorflow');
    await tf.ready();
    return { tf, backend: 'tensorflow' };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as Tf;
  if (choice === 'wasm') {
    type Wasm = typeof import('@tensorflow/tfjs-backend-wasm');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as Wasm;
    const dist = join(
      dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
      'dist',
    );
    wasm.setWasmPaths(`${dist}/`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerWasmSegmentSum(tf);
    registerWasmMatMulWithoutTransposes(tf);
    registerWasmGather(tf);
  }
  if (!(await tf.setBackend(choice))) {
    throw new TsfxError(`the TensorFlow.js ${choice} backend could not start`);
  }
  await tf.ready();
  return { tf, backend: choice };
}

type TensorInfo = import('@tensorflow/tfjs').TensorInfo;
type KernelConfig = import('@tensorflow/tfjs').KernelConfig;
type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];

/** What the kernels below use of tfjs-backend-wasm's backend object. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  /** A view (not a copy) of a tensor's values on the wasm heap. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): void;
}

/** Replaces a registered wasm kernel, keeping its setup (run when the backend starts). */
function replaceWasmKernel(
  tf: Tf,
  kernelName: string,
  kernelFunc: (args: KernelArgs, original: KernelConfig['kernelFunc']) => TensorInfo,
): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original || (original as { replacedByTsfx?: boolean }).replacedByTsfx) return;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => kernelFunc(args, original.kernelFunc),
    replacedByTsfx: true,
  } as KernelConfig);
}

/**
 * tfjs-backend-wasm multiplies through XNNPACK only when neither operand is transposed; a
 * transposed operand takes a naive loop about 8x slower. Every Dense layer's gradient multiplies
 * by a transpose (dW = xᵀ·dy, dx = dy·Wᵀ), so training spent most of its time there. Transposing
 * the operand first (a cheap copy) keeps every product on the fast path.
 */
function registerWasmMatMulWithoutTransposes(tf: Tf): void {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return;
  replaceWasmKernel(tf, 'BatchMatMul', (args, original) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args) as TensorInfo;
    const backend = args.backend as unknown as WasmBackend;
    const flip = (x: TensorInfo): TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      return transpose.kernelFunc({
        inputs: { x },
        backend: args.backend,
        attrs: { perm },
      }) as TensorInfo;
    };
    const a2 = attrs.transposeA ? flip(a) : a;
    const b2 = attrs.transposeB ? flip(b) : b;
    const out = original({
      inputs: { a: a2, b: b2 },
      backend: args.backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }) as TensorInfo;
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
    return out;
  });
}

/**
 * tfjs-backend-wasm's GatherV2 checks every index in JavaScript with a closure per index before
 * gathering, which made each Embedding lookup cost a millisecond. Row gathers (axis 0, the
 * Embedding layer's case) are copied here straight from heap to heap; the index check stays.
 */
function registerWasmGather(tf: Tf): void {
  replaceWasmKernel(tf, 'GatherV2', (args, original) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims?: number };
    if (axis !== 0 || (batchDims ?? 0) !== 0 || x.dtype === 'string' || x.shape.length === 0)
      return original(args) as TensorInfo;
    const backend = args.backend as unknown as WasmBackend;
    const rows = x.shape[0];
    const inner = x.shape.slice(1).reduce((p, q) => p * q, 1);
    const count = indices.shape.reduce((p, q) => p * q, 1);
    // Allocate first: a heap that grows invalidates earlier views.
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const ids = backend.typedArrayFromHeap(indices);
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
      }
      // Short rows (embeddings) copy faster element by element than through subarray views.
      if (inner <= 32) for (let j = 0; j < inner; j++) to[i * inner + j] = from[id * inner + j];
      else to.set(from.subarray(id * inner, id * inner + inner), i * inner);
    }
    return out;
  });
}

/**
 * tfjs-backend-wasm 4.22 has no `UnsortedSegmentSum` kernel, which the gradient of `gather` (so
 * of every Embedding layer) needs. This is that kernel, in JavaScript over the backend's memory:
 * out[segmentIds[i]] += x[i] (rows with an id outside [0, numSegments) are dropped, as TF does).
 */
function registerWasmSegmentSum(tf: Tf): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const numSegments = Number((attrs as { numSegments: number }).numSegments);
      const wasm = backend as unknown as WasmBackend;
      const innerShape = x.shape.slice(segmentIds.shape.length);
      const inner = innerShape.reduce((a, b) => a * b, 1);
      // Allocate first: a heap that grows invalidates earlier views. The heap is not zeroed.
      const result = wasm.makeOutput([numSegments, ...innerShape], x.dtype);
      const values = wasm.typedArrayFromHeap(x);
      const ids = wasm.typedArrayFromHeap(segmentIds);
      const out = wasm.typedArrayFromHeap(result);
      out.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const segment = ids[i];
        if (segment < 0 || segment >= numSegments) continue;
        const from = i * inner;
        const to = segment * inner;
        for (let j = 0; j < inner; j++) out[to + j] += values[from + j];
      }
      return result;
    },
  });
}
