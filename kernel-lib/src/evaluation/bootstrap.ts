/**
 * Poisson-bootstrap confidence intervals as TFMA computes them (poisson_bootstrap.py,
 * math_util.calculate_confidence_interval): 20 replicates in which every example counts
 * Poisson(1) times; a metric's interval is the replicates' mean ± t(0.975, 19) × their standard
 * deviation (ddof 1), and its value stays the estimate from all examples.
 */

import { seededRandom } from '../random';

/** TFMA's DEFAULT_NUM_BOOTSTRAP_SAMPLES. */
export const BOOTSTRAP_SAMPLES = 20;
/** Student's t quantile at 0.975 with 19 degrees of freedom (scipy.stats.t.ppf(0.975, 19)). */
const T_975_DF19 = 2.093024054408263;

/** `samples` arrays of `n` Poisson(1) counts (Knuth's method), one per replicate. */
export function poissonWeights(n: number, samples: number, seed: number): Uint8Array[] {
  const next = seededRandom(seed);
  const limit = Math.exp(-1);
  return Array.from({ length: samples }, () => {
    const weights = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      let p = next();
      while (p > limit && k < 255) {
        k++;
        p *= next();
      }
      weights[i] = k;
    }
    return weights;
  });
}

export interface TInterval {
  mean: number;
  standardError: number;
  lower: number;
  upper: number;
  degreesOfFreedom: number;
}

/** The 95% t-interval of bootstrap replicates of a metric (exactly 20 replicates). */
export function tInterval(samples: readonly number[]): TInterval {
  if (samples.length !== BOOTSTRAP_SAMPLES) {
    throw new Error(`tInterval needs ${BOOTSTRAP_SAMPLES} replicates, got ${samples.length}`);
  }
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const squares = samples.reduce((a, b) => a + (b - mean) ** 2, 0);
  const standardError = Math.sqrt(squares / (samples.length - 1));
  return {
    mean,
    standardError,
    lower: mean - standardError * T_975_DF19,
    upper: mean + standardError * T_975_DF19,
    degreesOfFreedom: samples.length - 1,
  };
}
