import type { ServingManifest } from '../trainer/servingBundle';
import { ServingError, type RawFeature } from './requests';

/**
 * The signatures a pushed tsfx model serves, as a TensorFlow SavedModel exported by TFX would:
 * each reads the raw features and derives its outputs from the model's probability.
 * `serving_default` (predict) answers `probability`; `classification` answers TF's binary
 * classification head's `classes` ["0", "1"] and `scores` [1 - p, p]; `regression` answers `p`.
 */
export type Method = 'predict' | 'classify' | 'regress';

interface Output {
  dtype: 'DT_FLOAT' | 'DT_STRING';
  /** Shape after the batch dimension. */
  shape: number[];
  value(probability: number): number | string | (number | string)[];
}

interface Signature {
  method: Method;
  outputs: Record<string, Output>;
}

export const CLASS_LABELS = ['0', '1'] as const;

/** TF's scores of a binary classifier: float32 like the probability they come from. */
export function classScores(probability: number): [number, number] {
  return [Math.fround(1 - probability), probability];
}

export const SIGNATURES: Record<string, Signature> = {
  serving_default: {
    method: 'predict',
    outputs: { probability: { dtype: 'DT_FLOAT', shape: [], value: (p) => p } },
  },
  classification: {
    method: 'classify',
    outputs: {
      classes: { dtype: 'DT_STRING', shape: [2], value: () => [...CLASS_LABELS] },
      scores: { dtype: 'DT_FLOAT', shape: [2], value: classScores },
    },
  },
  regression: {
    method: 'regress',
    outputs: { outputs: { dtype: 'DT_FLOAT', shape: [], value: (p) => p } },
  },
};

const METHOD_NAMES: Record<Method, string> = {
  predict: 'tensorflow/serving/predict',
  classify: 'tensorflow/serving/classify',
  regress: 'tensorflow/serving/regress',
};

/** The default signature of each endpoint (TF Serving uses `serving_default` for all three). */
const DEFAULT_SIGNATURE: Record<Method, string> = {
  predict: 'serving_default',
  classify: 'classification',
  regress: 'regression',
};

/** The signature a request names (or the endpoint's default), which must suit the endpoint. */
export function resolveSignature(name: string, method: Method): Signature {
  const key = name === '' ? DEFAULT_SIGNATURE[method] : name;
  const signature = SIGNATURES[key];
  if (!signature) {
    throw new ServingError(
      'INVALID_ARGUMENT',
      `Serving signature name: "${key}" not found in signature def`,
    );
  }
  // Predict runs any signature; classify and regress only their own kind (as in TF Serving).
  if (method !== 'predict' && signature.method !== method) {
    const kind = method === 'classify' ? 'classification' : 'regression';
    throw new ServingError(
      'INVALID_ARGUMENT',
      `Expected ${kind} signature method_name to be ${METHOD_NAMES[method]}. Was: ${METHOD_NAMES[signature.method]}`,
    );
  }
  return signature;
}

/** A `:predict` answer: one output's values as they are, several as objects (TF Serving's rule). */
export function predictResponse(
  signature: Signature,
  scores: Float32Array,
  format: 'row' | 'columnar',
): Record<string, unknown> {
  const outputs = Object.entries(signature.outputs);
  const key = format === 'row' ? 'predictions' : 'outputs';
  if (outputs.length === 1) {
    const [, output] = outputs[0];
    return { [key]: Array.from(scores, (p) => output.value(p)) };
  }
  if (format === 'row') {
    return {
      predictions: Array.from(scores, (p) =>
        Object.fromEntries(outputs.map(([name, output]) => [name, output.value(p)])),
      ),
    };
  }
  return {
    outputs: Object.fromEntries(
      outputs.map(([name, output]) => [name, Array.from(scores, (p) => output.value(p))]),
    ),
  };
}

export const DTYPES = { INT: 'DT_INT64', FLOAT: 'DT_FLOAT', STRING: 'DT_STRING' } as const;

function tensorInfo(name: string, dtype: string, shape: number[]) {
  return {
    dtype,
    tensor_shape: {
      dim: [-1, ...shape].map((size) => ({ size: String(size), name: '' })),
      unknown_rank: false,
    },
    name,
  };
}

/** TF Serving's GetModelMetadataResponse for a version: its SignatureDefMap. */
export function metadataResponse(
  modelName: string,
  version: number,
  manifest: Pick<ServingManifest, 'rawFeatures'>,
): Record<string, unknown> {
  const inputs = Object.fromEntries(
    manifest.rawFeatures.map((f: RawFeature) => [f.name, tensorInfo(f.name, DTYPES[f.type], [])]),
  );
  const signatureDef = Object.fromEntries(
    Object.entries(SIGNATURES).map(([key, signature]) => [
      key,
      {
        inputs,
        outputs: Object.fromEntries(
          Object.entries(signature.outputs).map(([name, output]) => [
            name,
            tensorInfo(name, output.dtype, output.shape),
          ]),
        ),
        method_name: METHOD_NAMES[signature.method],
      },
    ]),
  );
  return {
    model_spec: { name: modelName, signature_name: '', version: String(version) },
    metadata: {
      signature_def: {
        signature_def: signatureDef,
        '@type': 'type.googleapis.com/tensorflow.serving.SignatureDefMap',
      },
    },
  };
}
