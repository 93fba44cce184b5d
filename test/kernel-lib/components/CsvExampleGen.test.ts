import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { splitNames } from '../../../kernel-lib/src/artifacts/splits';
import { CsvExampleGen } from '../../../kernel-lib/src/components/CsvExampleGen';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import type { ArtifactRecord } from '../../../kernel-lib/src/metadata/types';
import { runComponent } from '../../../kernel-lib/src/orchestration/runComponent';
import { duckdbRows, TAXI_CSV, tempDir, writeFile } from '../../helpers';
import { PINNED_CSV, PINNED_SPLITS } from '../../pinnedSplits';

async function ingest(
  inputBase: string,
  options: {
    splits?: { name: string; hashBuckets: number }[];
    enableCache?: boolean;
    root?: string;
  } = {},
): Promise<{ artifact: ArtifactRecord; store: MetadataStore; root: string }> {
  const root = options.root ?? tempDir();
  const store = new MetadataStore(join(root, 'metadata.sqlite'));
  const gen = new CsvExampleGen({ inputBase, splits: options.splits });
  const result = await runComponent(
    store,
    { pipelineName: 'p', pipelineRoot: root, runId: 'r' },
    gen,
    {
      enableCache: options.enableCache ?? true,
    },
  );
  return { artifact: result.outputs.examples[0], store, root };
}

const parquet = (artifact: ArtifactRecord, split: string): string =>
  `read_parquet('${join(artifact.uri, `Split-${split}`)}/*.parquet')`;

/** Facts about the taxi CSV computed by Python's csv module (independent of tsfx and DuckDB). */
function pythonFacts(csvPath: string): {
  rows: number;
  fareSum: number;
  companies: number;
  secondsSum: number;
  secondsMissing: number;
} {
  const script = `
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print(json.dumps({
  'rows': len(rows),
  'fareSum': sum(float(r['fare']) for r in rows if r['fare'] != ''),
  'companies': sum(1 for r in rows if r['company'] != ''),
  'secondsSum': sum(int(r['trip_seconds']) for r in rows if r['trip_seconds'] != ''),
  'secondsMissing': sum(1 for r in rows if r['trip_seconds'] == ''),
}))`;
  const out = spawnSync('/usr/bin/python3', ['-c', script, csvPath], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout) as ReturnType<typeof pythonFacts>;
}

describe('CsvExampleGen on the taxi sample', async () => {
  const { artifact, store } = await ingest(join(TAXI_CSV, '..'));

  it('splits 15,000 rows 2:1 into train and eval', async () => {
    assert.deepEqual(splitNames(artifact), ['train', 'eval']);
    const [train] = await duckdbRows(
      `SELECT count(*)::INT AS n FROM ${parquet(artifact, 'train')}`,
    );
    const [evalRows] = await duckdbRows(
      `SELECT count(*)::INT AS n FROM ${parquet(artifact, 'eval')}`,
    );
    const total = Number(train.n) + Number(evalRows.n);
    assert.equal(total, 15000);
    assert.ok(
      Math.abs(Number(train.n) / total - 2 / 3) <= 0.02,
      `train share ${Number(train.n) / total}`,
    );
    assert.deepEqual(JSON.parse(String(artifact.properties.row_counts)), {
      train: Number(train.n),
      eval: Number(evalRows.n),
    });
  });

  it('writes Parquet with the types TFX infers (INT as int64, FLOAT as double, STRING as text)', async () => {
    const described = await duckdbRows(`DESCRIBE SELECT * FROM ${parquet(artifact, 'train')}`);
    const types = Object.fromEntries(described.map((r) => [r.column_name, r.column_type]));
    assert.equal(Object.keys(types).length, 18);
    assert.equal(types.trip_start_timestamp, 'BIGINT');
    assert.equal(types.dropoff_census_tract, 'BIGINT');
    assert.equal(types.fare, 'DOUBLE');
    assert.equal(types.tips, 'DOUBLE');
    assert.equal(types.payment_type, 'VARCHAR');
    assert.equal(types.company, 'VARCHAR');
    assert.equal(
      types.pickup_census_tract,
      'VARCHAR',
      'a column empty everywhere stays a string column',
    );
  });

  it('keeps every value: sums and counts equal what Python computes from the CSV', async () => {
    const facts = pythonFacts(TAXI_CSV);
    const both = `(SELECT * FROM ${parquet(artifact, 'train')} UNION ALL SELECT * FROM ${parquet(artifact, 'eval')})`;
    const [row] =
      await duckdbRows(`SELECT count(*)::INT AS rows, sum(fare) AS fare, count(company)::INT AS companies,
      sum(trip_seconds)::BIGINT AS seconds, count(*) FILTER (WHERE trip_seconds IS NULL)::INT AS missing,
      count(pickup_census_tract)::INT AS tract FROM ${both}`);
    assert.equal(row.rows, facts.rows);
    assert.ok(Math.abs(Number(row.fare) - facts.fareSum) < 1e-6, `${row.fare} vs ${facts.fareSum}`);
    assert.equal(row.companies, facts.companies);
    assert.equal(Number(row.seconds), facts.secondsSum);
    assert.equal(row.missing, facts.secondsMissing);
    assert.equal(row.tract, 0);
  });

  it('puts the rows where the pinned rule puts them (counted by Python)', async () => {
    assert.deepEqual(JSON.parse(String(artifact.properties.row_counts)), {
      train: 10000,
      eval: 5000,
    });
    // The first eval rows (1-based data rows), by the rule as Python computes it (test/pinnedSplits.ts).
    const first = [7, 15, 20, 21, 29, 30, 33, 41, 48, 50, 52, 53, 56, 58, 60, 63, 67, 73, 75, 79];
    const script = `
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))[1:]
print(json.dumps([[int(rows[i - 1][5]), float(rows[i - 1][1])] for i in json.loads(sys.argv[2])]))`;
    const out = spawnSync('/usr/bin/python3', ['-c', script, TAXI_CSV, JSON.stringify(first)], {
      encoding: 'utf8',
    });
    assert.equal(out.status, 0, out.stderr);
    const rows = await duckdbRows(
      `SELECT trip_start_timestamp::INT AS t, fare FROM ${parquet(artifact, 'eval')} LIMIT 20`,
    );
    assert.deepEqual(
      rows.map((r) => [r.t, r.fare]),
      JSON.parse(out.stdout),
    );
  });

  it('gives the same split on a run without cache, and a cached rerun reuses the artifact', async () => {
    const root = tempDir();
    const first = await ingest(join(TAXI_CSV, '..'), { root });
    const cached = await ingest(join(TAXI_CSV, '..'), { root });
    assert.equal(cached.artifact.id, first.artifact.id);
    const uncached = await ingest(join(TAXI_CSV, '..'), { root, enableCache: false });
    assert.notEqual(uncached.artifact.id, first.artifact.id);
    for (const split of ['train', 'eval']) {
      const [a] = await duckdbRows(
        `SELECT count(*)::INT AS n FROM (SELECT * FROM ${parquet(first.artifact, split)} EXCEPT ALL SELECT * FROM ${parquet(uncached.artifact, split)})`,
      );
      const [b] = await duckdbRows(
        `SELECT count(*)::INT AS n FROM (SELECT * FROM ${parquet(uncached.artifact, split)} EXCEPT ALL SELECT * FROM ${parquet(first.artifact, split)})`,
      );
      assert.equal(a.n, 0);
      assert.equal(b.n, 0);
    }
    for (const s of [first, cached, uncached]) s.store.close();
  });

  it('assigns each row by its content: shuffled input gives the same splits', async () => {
    const dir = tempDir();
    const [header, ...rows] = readFileSync(TAXI_CSV, 'utf8').trimEnd().split('\n');
    rows.reverse();
    const shuffled = writeFile(dir, 'reversed.csv', `${header}\n${rows.join('\n')}\n`);
    const other = await ingest(shuffled);
    const [diff] = await duckdbRows(
      `SELECT count(*)::INT AS n FROM (SELECT * FROM ${parquet(artifact, 'eval')} EXCEPT ALL SELECT * FROM ${parquet(other.artifact, 'eval')})`,
    );
    assert.equal(diff.n, 0);
    const [back] = await duckdbRows(
      `SELECT count(*)::INT AS n FROM (SELECT * FROM ${parquet(other.artifact, 'eval')} EXCEPT ALL SELECT * FROM ${parquet(artifact, 'eval')})`,
    );
    assert.equal(back.n, 0, 'no row of the reversed file lands in eval alone');
    other.store.close();
  });

  it('honours configured split names and ratios', async () => {
    const custom = await ingest(TAXI_CSV, {
      splits: [
        { name: 'big', hashBuckets: 8 },
        { name: 'small', hashBuckets: 1 },
        { name: 'tiny', hashBuckets: 1 },
      ],
    });
    assert.deepEqual(splitNames(custom.artifact), ['big', 'small', 'tiny']);
    const counts = JSON.parse(String(custom.artifact.properties.row_counts)) as Record<
      string,
      number
    >;
    assert.equal(counts.big + counts.small + counts.tiny, 15000);
    assert.ok(Math.abs(counts.big / 15000 - 0.8) < 0.02);
    assert.ok(Math.abs(counts.tiny / 15000 - 0.1) < 0.02);
    custom.store.close();
    assert.throws(
      () => new CsvExampleGen({ inputBase: TAXI_CSV, splits: [{ name: 'a', hashBuckets: 0 }] }),
      /hash buckets/,
    );
    assert.throws(
      () =>
        new CsvExampleGen({
          inputBase: TAXI_CSV,
          splits: [
            { name: 'a', hashBuckets: 1 },
            { name: 'a', hashBuckets: 1 },
          ],
        }),
      /given twice/,
    );
  });

  after(() => store.close());
});

describe('CsvExampleGen pins the split to a documented rule', () => {
  for (const [splits, expected] of PINNED_SPLITS) {
    it(`${splits.map((s) => s.hashBuckets).join(':')}: each fixture row in its split`, async () => {
      const file = writeFile(tempDir(), 'pinned.csv', PINNED_CSV);
      const { artifact, store } = await ingest(file, { splits });
      for (const [index, split] of splits.entries()) {
        const rows = await duckdbRows(`SELECT id::INT AS id FROM ${parquet(artifact, split.name)}`);
        assert.deepEqual(
          rows.map((r) => r.id),
          expected.flatMap((s, i) => (s === index ? [i + 1] : [])),
          split.name,
        );
      }
      store.close();
    });
  }
});

describe('CsvExampleGen reads an awkward but valid CSV exactly', () => {
  it('BOM, CRLF, quotes, newlines, unicode, whitespace and underscores in numbers, int64 limits', async () => {
    const dir = tempDir();
    const csv =
      '\ufeffid,amount,label,note,empty\r\n' +
      ' 1 ,1_000.5,"a, b","line1\nline2",\r\n' +
      '9223372036854775807,-2.5e-3,"say ""hi""",ünï ☃,\r\n' +
      '-9223372036854775808,,,"",\r\n' +
      '+4,inf,5" tall,x,\r\n';
    const { artifact, store } = await ingest(writeFile(dir, 'awkward.csv', csv), {
      splits: [{ name: 'all', hashBuckets: 1 }],
    });
    const rows = await duckdbRows(
      `SELECT id::VARCHAR AS id, amount, label, note, empty FROM ${parquet(artifact, 'all')}`,
    );
    assert.deepEqual(rows, [
      { id: '1', amount: 1000.5, label: 'a, b', note: 'line1\nline2', empty: null },
      { id: '9223372036854775807', amount: -0.0025, label: 'say "hi"', note: 'ünï ☃', empty: null },
      { id: '-9223372036854775808', amount: null, label: null, note: null, empty: null },
      { id: '4', amount: 'Infinity', label: '5" tall', note: 'x', empty: null },
    ]);
    const types = await duckdbRows(`DESCRIBE SELECT * FROM ${parquet(artifact, 'all')}`);
    assert.deepEqual(
      types.map((t) => t.column_type),
      ['BIGINT', 'DOUBLE', 'VARCHAR', 'VARCHAR', 'VARCHAR'],
    );
    store.close();
  });

  it('reads every *.csv file of a folder (other files ignored) when headers agree', async () => {
    const dir = tempDir();
    writeFile(dir, 'a.csv', 'x,y\n1,a\n2,b\n');
    writeFile(dir, 'b.csv', 'x,y\n3,c\n');
    writeFile(dir, 'NOTES.md', 'not data');
    const { artifact, store } = await ingest(dir, { splits: [{ name: 'all', hashBuckets: 1 }] });
    const rows = await duckdbRows(
      `SELECT x::INT AS x, y FROM ${parquet(artifact, 'all')} ORDER BY x`,
    );
    assert.deepEqual(rows, [
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
      { x: 3, y: 'c' },
    ]);
    store.close();
  });
});

describe('CsvExampleGen refuses bad input and leaves no LIVE artifact', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['ragged row', 'a,b\n1,2\n3\n', /ragged-row\.csv:3:2: too few fields/],
    ['long row', 'a,b\n1,2\n3,4,5\n', /long-row\.csv:3:5: too many fields/],
    [
      'text after quote',
      'a,b\n1,"2"x\n',
      /text-after-quote\.csv:2:6: unexpected character after a closing quote/,
    ],
    ['empty name', 'a,,c\n1,2,3\n', /empty-name\.csv:1:3: column 2 of the header has no name/],
    ['unterminated quote', 'a,b\n1,"2\n', /unterminated-quote\.csv:2:3: unterminated quoted field/],
    ['empty file', '', /empty-file\.csv:1: the file is empty/],
    ['header only', 'a,b\r\n', /header-only\.csv:2: the header has no data rows/],
    [
      'duplicate columns',
      'a,b,a\n1,2,3\n',
      /duplicate-columns\.csv:1:5: duplicate column name "a"/,
    ],
    ['latin-1', Buffer.from('a,b\n1,caf\xe9\n', 'latin1'), /latin-1\.csv:2:6: invalid UTF-8/],
    ['binary', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]), /binary\.csv:1:4: binary data/],
    ['nul in data', 'a,b\n1,2\n3,4\u0000\n', /nul-in-data\.csv:3:4: binary data/],
  ];
  for (const [name, content, expected] of cases) {
    it(name, async () => {
      const root = tempDir();
      const file = writeFile(root, `${name.replace(/ /g, '-')}.csv`, content);
      const store = new MetadataStore(join(root, 'metadata.sqlite'));
      await assert.rejects(
        runComponent(
          store,
          { pipelineName: 'p', pipelineRoot: root, runId: 'r' },
          new CsvExampleGen({ inputBase: file }),
          { enableCache: true },
        ),
        expected,
      );
      assert.equal(store.getArtifacts({ state: 'LIVE' }).length, 0);
      assert.equal(store.getExecutions()[0].state, 'FAILED');
      assert.equal(existsSync(join(root, 'CsvExampleGen', 'examples', '1')), false);
      store.close();
    });
  }

  it('a folder whose files disagree on the header', async () => {
    const dir = tempDir();
    writeFile(dir, 'a.csv', 'x,y\n1,2\n');
    writeFile(dir, 'b.csv', 'x,z\n1,2\n');
    await assert.rejects(ingest(dir), /b\.csv:1:1: header differs from the header of .*a\.csv/);
  });

  it('a folder with no CSV file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'x.txt'), '');
    await assert.rejects(ingest(dir), /no CSV files \(\*\.csv\) in/);
  });

  it('a changed input file misses the cache; an unchanged one hits it', async () => {
    const root = tempDir();
    const file = writeFile(root, 'data.csv', 'a,b\n1,x\n2,y\n');
    const store = new MetadataStore(join(root, 'metadata.sqlite'));
    const target = { pipelineName: 'p', pipelineRoot: root, runId: 'r' };
    const run = () =>
      runComponent(store, target, new CsvExampleGen({ inputBase: file }), { enableCache: true });
    assert.equal((await run()).state, 'COMPLETE');
    assert.equal((await run()).state, 'CACHED');
    writeFileSync(file, 'a,b\n1,x\n2,y\n3,z\n');
    const changed = await run();
    assert.equal(changed.state, 'COMPLETE');
    assert.equal(
      JSON.parse(String(changed.outputs.examples[0].properties.row_counts)).train +
        JSON.parse(String(changed.outputs.examples[0].properties.row_counts)).eval,
      3,
    );
    store.close();
  });

  it('copying the taxi data elsewhere still works (no absolute paths baked in)', async () => {
    const dir = tempDir();
    copyFileSync(TAXI_CSV, join(dir, 'data.csv'));
    const { artifact, store } = await ingest(dir);
    assert.deepEqual(splitNames(artifact), ['train', 'eval']);
    const [row] = await duckdbRows(
      `SELECT count(*)::INT AS n FROM (SELECT * FROM ${parquet(artifact, 'train')} UNION ALL SELECT * FROM ${parquet(artifact, 'eval')})`,
    );
    assert.equal(row.n, 15000);
    store.close();
  });
});
