import { TAXI_EVAL_CONFIG } from '../../notebooks/dags/taxi_pipeline';

/**
 * The taxi EvalConfig with TFX's day × hour slicing as well (193 slices on the generated data):
 * the benchmark's workload, heavier than the pipeline's overall + hour.
 */
export const BENCH_EVAL_CONFIG = {
  ...TAXI_EVAL_CONFIG,
  slicingSpecs: [
    ...(TAXI_EVAL_CONFIG.slicingSpecs ?? []),
    { featureKeys: ['trip_start_day', 'trip_start_hour'] },
  ],
};
