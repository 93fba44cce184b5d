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
  }
  if (!(await tf.setBackend(choice))) {
    throw new TsfxError(`the TensorFlow.js ${choice} backend could not start`);
  }
  await tf.ready();
  return { tf, backend: choice };
}

type TensorInfo = import('@tensorflow/tfjs').TensorInfo;

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
      const wasm = backend as unknown as {
        readSync(dataId: object): ArrayLike<number>;
        makeOutput(
          shape: number[],
          dtype: string,
          memoryOffset?: number,
          values?: Float32Array | Int32Array,
        ): TensorInfo;
      };
      const values = wasm.readSync(x.dataId);
      const ids = wasm.readSync(segmentIds.dataId);
      const innerShape = x.shape.slice(segmentIds.shape.length);
      const inner = innerShape.reduce((a, b) => a * b, 1);
      const out =
        x.dtype === 'int32'
          ? new Int32Array(numSegments * inner)
          : new Float32Array(numSegments * inner);
      for (let i = 0; i < ids.length; i++) {
        const segment = ids[i];
        if (segment < 0 || segment >= numSegments) continue;
        const from = i * inner;
        const to = segment * inner;
        for (let j = 0; j < inner; j++) out[to + j] += values[from + j];
      }
      return wasm.makeOutput([numSegments, ...innerShape], x.dtype, undefined, out);
    },
  });
}
