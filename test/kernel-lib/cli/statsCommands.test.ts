import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Schema } from '@tsfx/protocol';
import type { DatasetFeatureStatisticsList } from '@tsfx/protocol';
import type { Anomalies } from '@tsfx/protocol';
import { runCli, TAXI_CSV, tempDir, writeFile } from '../../helpers';

/** The taxi rows with planted problems: a new payment type, text in fare, a new column, a lost one. */
function driftedTaxiCsv(dir: string): string {
  const [header, ...rows] = readFileSync(TAXI_CSV, 'utf8').trimEnd().split('\n');
  const columns = header.split(',');
  const tipsAt = columns.indexOf('tips');
  const paymentAt = columns.indexOf('payment_type');
  const fareAt = columns.indexOf('fare');
  const out = [[...columns.filter((_, i) => i !== tipsAt), 'surge_multiplier'].join(',')];
  rows.slice(0, 2000).forEach((row, n) => {
    // The taxi sample has no quoted fields, so a plain split is exact.
    const fields = row.split(',');
    if (n % 20 === 0) fields[paymentAt] = 'Mobile';
    if (n === 7) fields[fareAt] = 'about ten';
    out.push([...fields.filter((_, i) => i !== tipsAt), '1.5'].join(','));
  });
  return writeFile(dir, 'drifted.csv', `${out.join('\n')}\n`);
}

describe('tsfx stats | infer-schema | validate', () => {
  const dir = tempDir();
  const stats = join(dir, 'stats.json');
  const schema = join(dir, 'schema.json');

  it('tsfx stats writes TFDV statistics of a CSV', () => {
    const result = runCli(['stats', TAXI_CSV, '--out', stats]);
    assert.equal(result.status, 0, result.stderr);
    const list = JSON.parse(readFileSync(stats, 'utf8')) as DatasetFeatureStatisticsList;
    assert.equal(list.datasets[0].numExamples, '15000');
    assert.equal(list.datasets[0].features.length, 18);
  });

  it('tsfx infer-schema writes a schema; tsfx validate of the same data finds nothing (exit 0)', () => {
    assert.equal(runCli(['infer-schema', stats, '--out', schema]).status, 0);
    const parsed = JSON.parse(readFileSync(schema, 'utf8')) as Schema;
    assert.equal(parsed.feature!.length, 18);
    const clean = runCli(['validate', TAXI_CSV, '--schema', schema]);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.equal(clean.stdout.trim(), 'no anomalies');
  });

  it('tsfx validate finds the planted anomalies of a drifted file (exit 1), in TFDV words', () => {
    const drifted = driftedTaxiCsv(dir);
    const text = runCli(['validate', drifted, '--schema', schema]);
    assert.equal(text.status, 1, text.stderr);
    assert.match(
      text.stdout,
      /payment_type\s+ERROR\s+ENUM_TYPE_UNEXPECTED_STRING_VALUES\s+Examples contain values missing from the schema: Mobile \(~5%\)\./,
    );
    const result = runCli(['validate', drifted, '--schema', schema, '--json']);
    assert.equal(result.status, 1);
    const anomalies = JSON.parse(result.stdout) as Anomalies;
    const reasons = (feature: string) =>
      anomalies.anomalyInfo[feature]?.reason.map((r) => r.type) ?? [];
    assert.deepEqual(reasons('payment_type'), ['ENUM_TYPE_UNEXPECTED_STRING_VALUES']);
    assert.deepEqual(reasons('fare'), ['UNEXPECTED_DATA_TYPE']);
    assert.deepEqual(reasons('tips'), ['SCHEMA_MISSING_COLUMN']);
    assert.deepEqual(reasons('surge_multiplier'), ['SCHEMA_NEW_COLUMN']);
  });

  it('tsfx validate compares with previous statistics through drift comparators', () => {
    const parsed = JSON.parse(readFileSync(schema, 'utf8')) as Schema;
    parsed.feature = parsed.feature!.map((f) =>
      f.name === 'payment_type'
        ? { ...f, driftComparator: { infinityNorm: { threshold: 0.01 } } }
        : f,
    );
    const driftSchema = writeFile(dir, 'drift-schema.json', JSON.stringify(parsed));
    const driftedStats = join(dir, 'drifted-stats.json');
    assert.equal(runCli(['stats', driftedTaxiCsv(dir), '--out', driftedStats]).status, 0);
    const result = runCli([
      'validate',
      driftedStats,
      '--schema',
      driftSchema,
      '--previous',
      stats,
      '--json',
    ]);
    assert.equal(result.status, 1);
    const anomalies = JSON.parse(result.stdout) as Anomalies;
    assert.ok(
      anomalies.anomalyInfo.payment_type.reason.some((r) => r.type === 'COMPARATOR_L_INFTY_HIGH'),
    );
    // The same statistics as "previous" show no drift.
    const same = runCli(['validate', stats, '--schema', driftSchema, '--previous', stats]);
    assert.equal(same.status, 0, same.stdout);
  });

  it('a ragged CSV is refused, not read as some other table', () => {
    const ragged = writeFile(
      dir,
      'ragged.csv',
      `${readFileSync(TAXI_CSV, 'utf8')
        .split('\n')
        .slice(0, 50)
        .map((l, i) => (i > 0 ? `${l},extra` : l))
        .join('\n')}\n`,
    );
    const result = runCli(['stats', ragged]);
    assert.equal(result.status, 1);
    assert.match(
      result.lastLine,
      /ragged\.csv:2:\d+: too many fields: expected 18 as in the header$/,
    );
  });

  it('errors exit 2 with one line naming the problem', () => {
    const bad = writeFile(dir, 'bad.csv', 'a,b\n1,2\n3,"4\n');
    const csv = runCli(['validate', bad, '--schema', schema]);
    assert.equal(csv.status, 2);
    assert.equal(
      csv.lastLine,
      `error: ${bad}:3:3: unterminated quoted field: the quote opened here is never closed`,
    );
    const noSchema = runCli(['validate', stats]);
    assert.equal(noSchema.status, 2);
    assert.match(noSchema.lastLine, /^error: usage: tsfx validate/);
    const notSchema = runCli(['validate', stats, '--schema', stats]);
    assert.equal(notSchema.status, 2);
    assert.match(notSchema.lastLine, /not a TFDV schema/);
    const statsError = runCli(['stats', bad]);
    assert.equal(statsError.status, 1);
    assert.match(statsError.lastLine, /bad\.csv:3:3: unterminated quoted field/);
  });
});
