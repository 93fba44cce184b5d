import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, TAXI_CSV, tempDir, writeFile } from '../../helpers';

const PIPELINE = 'notebooks/dags/taxi_pipeline.ts';

interface ArtifactRow {
  id: number;
  type: string;
  state: string;
  uri: string;
  producer: string;
  execution: number;
  properties: Record<string, string>;
}

function artifacts(metadata: string, type?: string): ArtifactRow[] {
  const result = runCli([
    'artifacts',
    '--metadata',
    metadata,
    '--json',
    ...(type ? ['--type', type] : []),
  ]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as ArtifactRow[];
}

describe('tsfx run', () => {
  const root = tempDir();
  const dataRoot = join(root, 'data');
  mkdirSync(dataRoot);
  copyFileSync(TAXI_CSV, join(dataRoot, 'data.csv'));
  const pipelineRoot = join(root, 'pipeline');
  const metadata = join(pipelineRoot, 'metadata.sqlite');
  const args = [
    'run',
    PIPELINE,
    '--data-root',
    dataRoot,
    '--pipeline-root',
    pipelineRoot,
    '--metadata',
    metadata,
  ];

  it(
    'runs the taxi pipeline: one line per component, then a summary, exit 0',
    { timeout: 180_000 },
    () => {
      const result = runCli(args);
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.match(
        lines[0],
        /^\[1\/7\] CsvExampleGen done in [\d.]+s, execution 1 -> examples: #1 .*CsvExampleGen\/examples\/1$/,
      );
      assert.match(
        lines[1],
        /^\[2\/7\] StatisticsGen done in [\d.]+s, execution 2 -> statistics: #2 /,
      );
      assert.match(lines[2], /^\[3\/7\] SchemaGen done in [\d.]+s, execution 3 -> schema: #3 /);
      assert.match(
        lines[3],
        /^\[4\/7\] ExampleValidator done in [\d.]+s, execution 4 -> anomalies: #4 /,
      );
      assert.match(
        lines[4],
        /^\[5\/7\] Transform done in [\d.]+s, execution 5 -> transform_graph: #5 .*; transformed_examples: #6 /,
      );
      assert.match(
        lines[5],
        /^\[6\/7\] Trainer done in [\d.]+s, execution 6 -> model: #7 .*; model_run: #8 /,
      );
      assert.match(
        lines[6],
        /^\[7\/7\] Evaluator done in [\d.]+s, execution 7 -> evaluation: #9 .*; blessing: #10 /,
      );
      assert.match(lines[7], /^pipeline chicago_taxi: 7 component\(s\), 7 executed, 0 cached/);
      assert.equal(lines.length, 8);
      const [examples] = artifacts(metadata, 'Examples');
      assert.equal(examples.state, 'LIVE');
      assert.equal(examples.producer, 'CsvExampleGen');
      assert.equal(examples.uri, join(pipelineRoot, 'CsvExampleGen', 'examples', '1'));
      const counts = JSON.parse(examples.properties.row_counts) as Record<string, number>;
      assert.equal(counts.train + counts.eval, 15000);
    },
  );

  it('a rerun is cached and leaves one Examples artifact per producer', () => {
    const result = runCli(args);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /\[1\/7\] CsvExampleGen cached \(reused execution 1\), execution 8 -> examples: #1 /,
    );
    assert.match(result.stdout, /0 executed, 7 cached/);
    // CsvExampleGen's examples and Transform's transformed examples, each once.
    assert.deepEqual(
      artifacts(metadata, 'Examples').map((a) => a.producer),
      ['CsvExampleGen', 'Transform'],
    );
    assert.equal(artifacts(metadata, 'Model').length, 1);
  });

  it('--no-cache executes again, with the same split', { timeout: 180_000 }, () => {
    const result = runCli([...args, '--no-cache']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /7 executed, 0 cached/);
    const list = artifacts(metadata, 'Examples').filter((a) => a.producer === 'CsvExampleGen');
    assert.equal(list.length, 2);
    assert.equal(list[0].properties.row_counts, list[1].properties.row_counts);
  });

  it('tsfx artifacts prints a table with id, type, state, producer and uri', () => {
    const result = runCli(['artifacts', '--metadata', metadata]);
    assert.equal(result.status, 0);
    const [header, first] = result.stdout.split('\n');
    assert.match(header, /^id\s+type\s+state\s+producer\s+execution\s+uri\s+properties$/);
    assert.match(first, /^1\s+Examples\s+LIVE\s+CsvExampleGen\s+1\s+\//);
  });

  it('tsfx lineage shows the producing and the cached executions', () => {
    const text = runCli(['lineage', '1', '--metadata', metadata]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Examples #1 \[LIVE\]/);
    assert.match(text.stdout, /CsvExampleGen execution 1 \[COMPLETE\] wrote #1/);
    assert.match(text.stdout, /CsvExampleGen execution 8 \[CACHED\] wrote #1/);
    assert.match(
      text.stdout,
      /StatisticsGen execution 2 \[COMPLETE\] read #1 and wrote: ExampleStatistics #2/,
    );
    const json = JSON.parse(runCli(['lineage', '1', '--metadata', metadata, '--json']).stdout) as {
      upstream: { executions: { id: number; state: string }[] };
      downstream: { executions: { id: number; state: string }[] };
    };
    assert.deepEqual(
      json.upstream.executions.map((e) => e.state),
      ['COMPLETE', 'CACHED'],
    );
    assert.ok(
      json.downstream.executions.length >= 3,
      'StatisticsGen, Transform and what reads their outputs',
    );
  });

  it('refuses bad data with a one-line reason naming the file, line and column, exit 1, no LIVE artifact', () => {
    const badData = join(root, 'bad');
    mkdirSync(badData);
    const file = writeFile(badData, 'data.csv', 'a,b\n1,2\n3,"4\n5,6\n');
    const badRoot = join(root, 'bad-pipeline');
    const result = runCli(['run', PIPELINE, '--data-root', badData, '--pipeline-root', badRoot]);
    assert.equal(result.status, 1);
    assert.equal(
      result.lastLine,
      `error: ${file}:3:3: unterminated quoted field: the quote opened here is never closed`,
    );
    assert.equal(artifacts(join(badRoot, 'metadata.sqlite'), 'Examples')[0].state, 'ABANDONED');
  });

  it('errors: unknown command, missing pipeline file, unknown type, missing store, bad artifact id', () => {
    const unknown = runCli(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.lastLine, /unknown command "frobnicate"/);
    const missing = runCli(['run', 'nope/pipeline.ts']);
    assert.equal(missing.status, 1);
    assert.equal(missing.lastLine, 'error: pipeline file nope/pipeline.ts does not exist');
    assert.match(
      runCli(['artifacts', '--metadata', metadata, '--type', 'Bogus']).lastLine,
      /unknown artifact type Bogus/,
    );
    assert.match(
      runCli(['artifacts', '--metadata', join(root, 'none.sqlite')]).lastLine,
      /no metadata store at/,
    );
    assert.match(runCli(['lineage', '99', '--metadata', metadata]).lastLine, /no artifact 99/);
    assert.equal(runCli(['--help']).status, 0);
  });
});
