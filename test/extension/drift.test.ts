/// <reference lib="dom" />
// The statistics view ranks drift by the very measurements ExampleValidator makes: on a drifted
// copy of the taxi sample, the view's L-infinity and Jensen–Shannon columns equal the validator's
// drift measurements feature by feature, and its sort orders follow them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  parsePayload,
  type DatasetFeatureStatisticsList,
  type Feature,
  type Schema,
} from '@tsfx/protocol';
import { generateStatistics } from '../../kernel-lib/src/statistics';
import { inferSchema } from '../../kernel-lib/src/schema';
import { validateStatistics } from '../../kernel-lib/src/validation';
import { buildModel } from '../../extension/src/renderers/statistics/features';
import { sortFeatures } from '../../extension/src/renderers/statistics/model';
import { TAXI_CSV, tempDir } from '../helpers';

/** The taxi sample with planted drift: a new payment type, late trips, fewer companies. */
async function writeDrifted(path: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(`COPY (
      SELECT * REPLACE (
        CASE WHEN trip_start_hour IN ('1', '2', '3', '4') THEN 'Mobile' ELSE payment_type END
          AS payment_type,
        CASE WHEN trip_start_day = '2' THEN '23' ELSE trip_start_hour END AS trip_start_hour,
        CASE WHEN trip_start_month = '5' THEN '' ELSE company END AS company)
      FROM read_csv('${TAXI_CSV}', all_varchar = true, header = true))
      TO '${path}' (HEADER, DELIMITER ',')`);
  } finally {
    connection.closeSync();
  }
}

/** Every feature compared: L-infinity on categorical features, Jensen–Shannon on all. */
function withDriftComparators(schema: Schema): Schema {
  return {
    ...schema,
    feature: schema.feature.map((f): Feature => ({
      ...f,
      driftComparator: {
        ...(f.type === 'BYTES' ? { infinityNorm: { threshold: 0 } } : {}),
        jensenShannonDivergence: { threshold: 0 },
      },
    })),
  };
}

describe('drift in the statistics view equals ExampleValidator’s measurements', () => {
  let previous: DatasetFeatureStatisticsList;
  let current: DatasetFeatureStatisticsList;
  before(async () => {
    const drifted = join(tempDir(), 'drifted.csv');
    await writeDrifted(drifted);
    previous = await generateStatistics(TAXI_CSV);
    current = await generateStatistics(drifted);
  });

  it('measures each feature alike and sorts by the same numbers', () => {
    const schema = withDriftComparators(inferSchema(previous));
    const anomalies = validateStatistics(current, schema, { previous });
    const measured = new Map<string, { linf?: number; js?: number }>();
    for (const info of anomalies.driftSkewInfo ?? []) {
      const entry: { linf?: number; js?: number } = {};
      for (const m of info.driftMeasurements ?? []) {
        if (m.type === 'L_INFTY') entry.linf = m.value;
        else entry.js = m.value;
      }
      measured.set(info.path.step.join('.'), entry);
    }
    // The planted drift is found where it was planted.
    assert.ok(anomalies.anomalyInfo['payment_type'], 'payment_type drifts');
    assert.ok((measured.get('trip_start_hour')?.js ?? 0) > 0.01, 'trip_start_hour drifts');

    const model = buildModel(
      parsePayload('statistics', {
        kind: 'statistics',
        artifacts: [],
        datasets: [
          { ...current.datasets[0]!, name: 'current' },
          { ...previous.datasets[0]!, name: 'previous' },
        ],
      }),
    );
    assert.ok(measured.size >= model.length - 1);
    for (const feature of model) {
      // A feature the validator cannot compare (no values on a side) has no distance in the view.
      const m = measured.get(feature.name) ?? {};
      assert.equal(feature.lInfinity, m.linf, `${feature.name} L-infinity`);
      assert.equal(feature.jensenShannon, m.js, `${feature.name} Jensen–Shannon`);
    }
    const rank = (key: 'linf' | 'js', field: 'linf' | 'js'): void => {
      const byView = sortFeatures(model, key)
        .map((f) => f.name)
        .filter((name) => (measured.get(name)?.[field] ?? 0) > 0);
      const byValidator = [...measured]
        .filter(([, m]) => (m[field] ?? 0) > 0)
        .sort(([, a], [, b]) => b[field]! - a[field]!)
        .map(([name]) => name);
      assert.deepEqual(byView, byValidator, `${key} ranking`);
      assert.ok(byView.length >= 2, `${key} ranks several features`);
    };
    rank('linf', 'linf');
    rank('js', 'js');
  });
});
