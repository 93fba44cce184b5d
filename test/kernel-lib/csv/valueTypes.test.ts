import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CsvExampleGen } from '../../../kernel-lib/src/components/CsvExampleGen';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { runComponent } from '../../../kernel-lib/src/orchestration/runComponent';
import { generateStatistics } from '../../../kernel-lib/src/statistics';
import { duckdbRows, tempDir, writeFile } from '../../helpers';
import { pythonVerdicts, VALUE_TYPE_CASES, valueTypeCsv } from '../../valueTypeCases';

// One table, every path that types CSV columns: CsvExampleGen and `tsfx stats` must give each
// column the type TFX gives it, and read its numbers as Python does ('1_000' is 1000).
const verdicts = pythonVerdicts(VALUE_TYPE_CASES);
const csv = writeFile(tempDir(), 'cases.csv', valueTypeCsv(VALUE_TYPE_CASES));
const label = (i: number): string =>
  `${JSON.stringify(VALUE_TYPE_CASES[i].values)}${VALUE_TYPE_CASES[i].note ? ` (${VALUE_TYPE_CASES[i].note})` : ''}`;

/** Python's repr of an int or float as the number DuckDB gives back (BIGINT as text). */
function pythonNumber(repr: string, type: 'INT' | 'FLOAT'): string | number {
  if (type === 'INT') return repr;
  return repr === 'inf'
    ? Infinity
    : repr === '-inf'
      ? -Infinity
      : repr === 'nan'
        ? NaN
        : Number(repr);
}

describe('the value-type table', () => {
  it("says what Python says (TFX's _InferValueType on the bytes)", () => {
    VALUE_TYPE_CASES.forEach((c, i) => assert.equal(verdicts[i].type, c.type, label(i)));
  });
});

describe('CsvExampleGen types and reads every case as TFX does', async () => {
  const root = tempDir();
  const store = new MetadataStore(join(root, 'metadata.sqlite'));
  const result = await runComponent(
    store,
    { pipelineName: 'p', pipelineRoot: root, runId: 'r' },
    new CsvExampleGen({ inputBase: csv, splits: [{ name: 'all', hashBuckets: 1 }] }),
    { enableCache: false },
  );
  store.close();
  const parquet = `'${join(result.outputs.examples[0].uri, 'Split-all', 'data.parquet')}'`;
  const described = await duckdbRows(`DESCRIBE SELECT * FROM ${parquet}`);
  const rows = await duckdbRows(`SELECT * FROM ${parquet}`);
  const storage = { INT: 'BIGINT', FLOAT: 'DOUBLE', STRING: 'VARCHAR' };

  VALUE_TYPE_CASES.forEach((c, i) => {
    it(label(i), () => {
      assert.equal(described[i].column_type, storage[c.type]);
      c.values.forEach((value, r) => {
        const got = rows[r][`c${i}`];
        if (value === '') assert.equal(got, null);
        else if (c.type === 'STRING') assert.equal(got, value);
        else {
          const expected = pythonNumber(verdicts[i].values[r]!, c.type);
          const actual = typeof got === 'string' && c.type === 'FLOAT' ? Number(got) : got;
          assert.deepEqual(actual, expected, `row ${r}`);
        }
      });
    });
  });
});

describe('tsfx stats types and reads every case of a CSV as TFX does', async () => {
  const stats = await generateStatistics({ csv });
  const features = stats.datasets[0].features;

  VALUE_TYPE_CASES.forEach((c, i) => {
    it(label(i), () => {
      const feature = features[i];
      assert.equal(feature.name, `c${i}`);
      assert.equal(feature.type, c.type);
      const type = c.type;
      if (type === 'STRING') return;
      const values = verdicts[i].values
        .filter((v): v is string => v !== null)
        .map((v) => Number(pythonNumber(v, type)));
      const numStats = feature.numStats!;
      assert.equal(numStats.commonStats.numNonMissing, String(values.length));
      const finite = values.filter((v) => Number.isFinite(v));
      if (finite.length === values.length) {
        assert.equal(numStats.min, Math.min(...finite));
        assert.equal(numStats.max, Math.max(...finite));
      }
    });
  });
});
