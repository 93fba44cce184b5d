import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ANOMALIES_FILE,
  SCHEMA_FILE,
  STATISTICS_FILE,
} from '../../../kernel-lib/src/artifacts/splitFiles';
import { ExampleValidator } from '../../../kernel-lib/src/components/ExampleValidator';
import { ImportSchemaGen } from '../../../kernel-lib/src/components/ImportSchemaGen';
import type { Schema } from '@tsfx/protocol';
import type { DatasetFeatureStatisticsList } from '@tsfx/protocol';
import type { Anomalies } from '@tsfx/protocol';
import { duckdbRows, TAXI_CSV, TAXI_PAYMENT_TYPES, tempDir, writeFile } from '../../helpers';
import { runTaxiChain } from '../taxiChain';

const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('StatisticsGen -> SchemaGen -> ExampleValidator on the taxi sample', async () => {
  const root = tempDir();
  const { store, run, exampleGen, statisticsGen, schemaGen } = await runTaxiChain(root, TAXI_CSV);
  const validator = new ExampleValidator({
    statistics: statisticsGen.outputs.statistics,
    schema: schemaGen.outputs.schema,
  });
  await run(validator);
  const examplesUri = exampleGen.outputs.examples.artifacts[0].uri;
  const statisticsUri = statisticsGen.outputs.statistics.artifacts[0].uri;

  it('writes FeatureStats.json per split whose counts match the Parquet rows (read by DuckDB)', async () => {
    for (const split of ['train', 'eval']) {
      const stats = json<DatasetFeatureStatisticsList>(
        join(statisticsUri, `Split-${split}`, STATISTICS_FILE),
      );
      const [dataset] = stats.datasets;
      assert.equal(dataset.name, split);
      assert.equal(dataset.features.length, 18);
      const source = `read_parquet('${examplesUri}/Split-${split}/*.parquet')`;
      const [row] = await duckdbRows(
        `SELECT count(*)::INT AS n, count(trip_seconds)::INT AS seconds, avg(fare) AS fare, count(DISTINCT company)::INT AS companies FROM ${source}`,
      );
      assert.equal(Number(dataset.numExamples), row.n);
      const feature = (name: string) => dataset.features.find((f) => f.name === name)!;
      assert.equal(
        Number(feature('trip_seconds').numStats!.commonStats.numNonMissing),
        row.seconds,
      );
      assert.ok(Math.abs(feature('fare').numStats!.mean! - Number(row.fare)) < 1e-9);
      assert.equal(Number(feature('company').stringStats!.unique), row.companies);
    }
    assert.deepEqual(
      JSON.parse(String(statisticsGen.outputs.statistics.artifacts[0].properties.split_names)),
      ['train', 'eval'],
    );
  });

  it('infers a schema from train with the taxi domains, and no shapes when inferFeatureShape is false', () => {
    const schema = json<Schema>(join(schemaGen.outputs.schema.artifacts[0].uri, SCHEMA_FILE));
    const byName = new Map(schema.feature!.map((f) => [f.name, f]));
    assert.equal(byName.get('fare')?.type, 'FLOAT');
    assert.equal(byName.get('trip_start_hour')?.type, 'INT');
    assert.equal(byName.get('payment_type')?.type, 'BYTES');
    assert.equal(byName.get('payment_type')?.domain, 'payment_type');
    assert.ok(schema.feature!.every((f) => f.shape === undefined));
    const paymentDomain = schema.stringDomain!.find((d) => d.name === 'payment_type')!;
    assert.deepEqual(paymentDomain.value, TAXI_PAYMENT_TYPES);
    assert.deepEqual(byName.get('fare')?.presence, { minFraction: 1, minCount: '1' });
    assert.equal(
      byName.get('company')?.presence?.minFraction,
      undefined,
      'company is sometimes missing',
    );
  });

  it('finds no anomaly in train and the companies unseen in train in eval, in TFDV words', () => {
    const anomaliesUri = validator.outputs.anomalies.artifacts[0].uri;
    const train = json<Anomalies>(join(anomaliesUri, 'Split-train', ANOMALIES_FILE));
    assert.deepEqual(train.anomalyInfo, {});
    const evalAnomalies = json<Anomalies>(join(anomaliesUri, 'Split-eval', ANOMALIES_FILE));
    assert.deepEqual(Object.keys(evalAnomalies.anomalyInfo), ['company']);
    const company = evalAnomalies.anomalyInfo.company;
    assert.equal(company.reason[0].type, 'ENUM_TYPE_UNEXPECTED_STRING_VALUES');
    assert.match(
      company.description,
      /^Examples contain values missing from the schema: .+ \(<1%\)/,
    );
    assert.deepEqual(
      JSON.parse(String(validator.outputs.anomalies.artifacts[0].properties.anomaly_counts)),
      { train: 0, eval: 1 },
    );
  });

  it('ImportSchemaGen uses a curated schema and misses the cache when it is edited', async () => {
    const schemaFile = join(root, 'curated.json');
    const curated = json<Schema>(join(schemaGen.outputs.schema.artifacts[0].uri, SCHEMA_FILE));
    writeFileSync(schemaFile, JSON.stringify(curated));
    const first = await run(new ImportSchemaGen({ schemaFile }));
    assert.equal(first.state, 'COMPLETE');
    assert.equal((await run(new ImportSchemaGen({ schemaFile }))).state, 'CACHED');
    // A curated change: every company value is allowed by removing the domain.
    curated.feature = curated.feature!.map((f) =>
      f.name === 'company' ? { ...f, domain: undefined } : f,
    );
    writeFileSync(schemaFile, JSON.stringify(curated));
    const edited = new ImportSchemaGen({ schemaFile });
    assert.equal((await run(edited)).state, 'COMPLETE');
    const validated = new ExampleValidator({
      statistics: statisticsGen.outputs.statistics,
      schema: edited.outputs.schema,
    }).withId('CuratedValidator');
    await run(validated);
    const evalAnomalies = json<Anomalies>(
      join(validated.outputs.anomalies.artifacts[0].uri, 'Split-eval', ANOMALIES_FILE),
    );
    assert.deepEqual(evalAnomalies.anomalyInfo, {});
    await assert.rejects(
      run(
        new ImportSchemaGen({ schemaFile: writeFile(root, 'bad.json', '{"nope": 1}') }).withId(
          'Bad',
        ),
      ),
      /not a TFDV schema/,
    );
  });

  it('ExampleValidator compares splits with a skew comparator set in the schema', async () => {
    const schema = json<Schema>(join(schemaGen.outputs.schema.artifacts[0].uri, SCHEMA_FILE));
    // A threshold no real pair of splits meets: train vs eval payment_type frequencies differ a little.
    schema.feature = schema.feature!.map((f) =>
      f.name === 'payment_type'
        ? { ...f, skewComparator: { infinityNorm: { threshold: 0.0001 } } }
        : f,
    );
    const schemaFile = writeFile(root, 'skew.json', JSON.stringify(schema));
    const imported = new ImportSchemaGen({ schemaFile }).withId('SkewSchema');
    await run(imported);
    const validated = new ExampleValidator({
      statistics: statisticsGen.outputs.statistics,
      schema: imported.outputs.schema,
      skewBaselineSplit: 'train',
    }).withId('SkewValidator');
    await run(validated);
    const evalAnomalies = json<Anomalies>(
      join(validated.outputs.anomalies.artifacts[0].uri, 'Split-eval', ANOMALIES_FILE),
    );
    assert.ok(evalAnomalies.anomalyInfo.payment_type, JSON.stringify(evalAnomalies.anomalyInfo));
    assert.ok(
      evalAnomalies.anomalyInfo.payment_type.reason.some(
        (r) => r.type === 'COMPARATOR_L_INFTY_HIGH',
      ),
    );
    const train = json<Anomalies>(
      join(validated.outputs.anomalies.artifacts[0].uri, 'Split-train', ANOMALIES_FILE),
    );
    assert.equal(
      train.anomalyInfo.payment_type,
      undefined,
      'the baseline is not compared with itself',
    );
  });

  after(() => store.close());
});
