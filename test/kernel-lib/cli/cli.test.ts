import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import type { ArtifactRecord } from '../../../kernel-lib/src/metadata/types';
import { REPO_ROOT, runCli, TAXI_COMPONENTS, TAXI_CSV, tempDir, writeFile } from '../../helpers';

const PIPELINE = 'notebooks/dags/taxi_pipeline.ts';
/** The components that write the same files whenever they run on the same inputs. */
const DATA_AND_TRAINING = TAXI_COMPONENTS.slice(0, 6);

/** Every file under an artifact's folder: relative path → SHA-256 of its content. */
function fileHashes(uri: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        hashes[relative(uri, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(uri);
  return hashes;
}

/** What of an artifact must not depend on how it was run: its files and properties, less timings. */
function content(artifact: ArtifactRecord): unknown {
  const files = fileHashes(artifact.uri);
  const properties: Record<string, unknown> = { ...artifact.properties };
  delete properties.examples_per_second;
  if (artifact.type === 'ModelBlessing') {
    // The model it judged is each run's own (checked by the caller).
    for (const key of ['current_model_id', 'current_model_uri']) delete properties[key];
  }
  if (artifact.type === 'ModelEvaluation') {
    // TFMA's EvalRun names where the data and the models were: each run's own folders.
    delete files['eval_config.json'];
    const run = JSON.parse(readFileSync(join(artifact.uri, 'eval_config.json'), 'utf8')) as {
      evalConfig: unknown;
    };
    return { type: artifact.type, properties, files, evalConfig: run.evalConfig };
  }
  if (artifact.type !== 'ModelRun') return { type: artifact.type, properties, files };
  delete files['events.jsonl'];
  const events = readFileSync(join(artifact.uri, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      // Timings differ from one run to the next; everything else must not.
      const event = JSON.parse(line) as Record<string, unknown>;
      for (const timing of ['wallTime', 'trainSeconds', 'examplesPerSecond']) delete event[timing];
      return event;
    });
  return { type: artifact.type, properties, files, events };
}

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
        /^\[1\/9\] CsvExampleGen done in [\d.]+s, execution 1 -> examples: #1 .*CsvExampleGen\/examples\/1$/,
      );
      assert.match(
        lines[1],
        /^\[2\/9\] StatisticsGen done in [\d.]+s, execution 2 -> statistics: #2 /,
      );
      assert.match(lines[2], /^\[3\/9\] SchemaGen done in [\d.]+s, execution 3 -> schema: #3 /);
      assert.match(
        lines[3],
        /^\[4\/9\] ExampleValidator done in [\d.]+s, execution 4 -> anomalies: #4 /,
      );
      assert.match(
        lines[4],
        /^\[5\/9\] Transform done in [\d.]+s, execution 5 -> transform_graph: #5 .*; transformed_examples: #6 /,
      );
      assert.match(
        lines[5],
        /^\[6\/9\] Trainer done in [\d.]+s, execution 6 -> model: #7 .*; model_run: #8 /,
      );
      // A first run: the Resolver finds no blessed model, so the Evaluator has no baseline.
      assert.match(
        lines[6],
        /^\[7\/9\] latest_blessed_model_resolver done in [\d.]+s, execution 7 -> model: nothing; modelBlessing: nothing$/,
      );
      assert.match(
        lines[7],
        /^\[8\/9\] Evaluator done in [\d.]+s, execution 8 -> evaluation: #9 .*; blessing: #10 /,
      );
      assert.match(lines[8], /^\[9\/9\] Pusher done in [\d.]+s, execution 9 -> pushed_model: #11 /);
      assert.match(lines[9], /^pipeline chicago_taxi: 9 component\(s\), 9 executed, 0 cached/);
      assert.equal(lines.length, 10);
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
      /\[1\/9\] CsvExampleGen cached \(reused execution 1\), execution 10 -> examples: #1 /,
    );
    // The Resolver runs again and now finds the first run's blessed model (#7): the Evaluator has
    // a baseline, so it runs again, and so does the Pusher with the new blessing.
    assert.match(
      result.stdout,
      /\[7\/9\] latest_blessed_model_resolver done in [\d.]+s, execution 16 -> model: #7 .*; modelBlessing: #10 /,
    );
    assert.match(result.stdout, /3 executed, 6 cached/);
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
    assert.match(result.stdout, /9 executed, 0 cached/);
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
    assert.match(text.stdout, /CsvExampleGen execution 10 \[CACHED\] wrote #1/);
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

  it(
    'runs each component in its own process (--component): inputs from the store, the same artifacts as the whole run',
    { timeout: 300_000 },
    () => {
      const runId = 'one-per-process';
      for (const id of DATA_AND_TRAINING) {
        const result = runCli([...args, '--component', id, '--run-id', runId, '--no-cache']);
        assert.equal(result.status, 0, result.stderr);
        assert.match(
          result.stdout,
          new RegExp(`^\\[1/1\\] ${id} done in [\\d.]+s, execution \\d+ `),
        );
        assert.match(
          result.stdout,
          /1 component\(s\), 1 executed, 0 cached, .*; run one-per-process;/,
        );
      }
      const store = new MetadataStore(metadata);
      try {
        const perProcess = store
          .getExecutions({ pipeline: 'chicago_taxi' })
          .filter((e) => e.runId === runId);
        assert.deepEqual(
          perProcess.map((e) => [e.componentId, e.state]),
          DATA_AND_TRAINING.map((id) => [id, 'COMPLETE']),
        );
        const ids = new Set(perProcess.map((e) => e.id));
        for (const execution of perProcess) {
          // Its inputs are what the previous processes of this run wrote.
          for (const event of store.getEvents({ executionId: execution.id })) {
            if (event.type !== 'INPUT') continue;
            const producer = store.getProducer(event.artifactId);
            assert.ok(producer && ids.has(producer.id), `${execution.componentId} ${event.key}`);
          }
          // Its outputs equal the first whole run's (executions 1 to 6), file by file.
          const whole = store.getExecutions({ componentId: execution.componentId })[0];
          assert.equal(whole.runId === runId, false);
          const outputs = store.getOutputs(execution.id);
          assert.deepEqual(
            [...outputs.keys()].sort(),
            [...store.getOutputs(whole.id).keys()].sort(),
          );
          if (execution.componentId === 'Evaluator') {
            const trainer = perProcess.find((e) => e.componentId === 'Trainer')!;
            const [model] = store.getOutputs(trainer.id).get('model')!;
            const [blessing] = outputs.get('blessing')!;
            assert.equal(blessing.properties.current_model_id, model.id);
          }
          for (const [key, [artifact]] of outputs) {
            const [reference] = store.getOutputs(whole.id).get(key)!;
            assert.notEqual(artifact.id, reference.id);
            assert.deepEqual(
              content(artifact),
              content(reference),
              `${execution.componentId}.${key}`,
            );
          }
        }
      } finally {
        store.close();
      }
      // The same cache as a whole run: the Trainer's inputs and code are unchanged.
      const cached = runCli([...args, '--component', 'Trainer', '--run-id', runId]);
      assert.equal(cached.status, 0, cached.stderr);
      assert.match(cached.stdout, /^\[1\/1\] Trainer cached \(reused execution \d+\)/);
    },
  );

  it('--component refuses an unknown id, and a component whose upstream never ran', () => {
    const unknown = runCli([...args, '--component', 'InfraValidator']);
    assert.equal(unknown.status, 1);
    assert.equal(
      unknown.lastLine,
      `error: pipeline chicago_taxi has no component "InfraValidator" (its components: ${TAXI_COMPONENTS.join(', ')})`,
    );
    const fresh = join(root, 'fresh');
    const alone = runCli([
      'run',
      PIPELINE,
      '--data-root',
      dataRoot,
      '--pipeline-root',
      fresh,
      '--component',
      'SchemaGen',
    ]);
    assert.equal(alone.status, 1);
    assert.equal(
      alone.lastLine,
      'error: SchemaGen input "statistics" has no artifact yet: run StatisticsGen first (no LIVE ExampleStatistics from StatisticsGen.statistics in pipeline chicago_taxi)',
    );
    assert.match(
      runCli([...args, '--component', 'Trainer', '--run-id', '../x']).lastLine,
      /^error: run id "\.\.\/x" must start with a letter or digit/,
    );
  });

  it('tsfx dags show prints the DAG (components in order, their edges) or its IR as JSON', () => {
    const text = runCli(['dags', 'show', ...args.slice(1)]);
    assert.equal(text.status, 0, text.stderr);
    const moduleFile = join(REPO_ROOT, 'notebooks', 'dags', 'taxi_utils.ts');
    const expected = [
      'pipeline chicago_taxi: 9 component(s)',
      `  root      ${pipelineRoot}`,
      `  metadata  ${metadata}`,
      '1. CsvExampleGen',
      '     out  examples: Examples',
      '2. StatisticsGen',
      '     in   examples <- CsvExampleGen.examples',
      '     out  statistics: ExampleStatistics',
      '3. SchemaGen',
      '     in   statistics <- StatisticsGen.statistics',
      '     out  schema: Schema',
      '4. ExampleValidator',
      '     in   statistics <- StatisticsGen.statistics',
      '     in   schema <- SchemaGen.schema',
      '     out  anomalies: ExampleAnomalies',
      '5. Transform',
      '     in   examples <- CsvExampleGen.examples',
      '     in   schema <- SchemaGen.schema',
      '     out  transform_graph: TransformGraph',
      '     out  transformed_examples: Examples',
      `     code ${moduleFile} (sha256 ${'.'.repeat(12)})`,
      '6. Trainer',
      '     in   examples <- Transform.transformed_examples',
      '     in   transform_graph <- Transform.transform_graph',
      '     in   schema <- SchemaGen.schema',
      '     out  model: Model',
      '     out  model_run: ModelRun',
      `     code ${moduleFile} (sha256 ${'.'.repeat(12)})`,
      '7. latest_blessed_model_resolver (Resolver)',
      '     out  model: Model',
      '     out  modelBlessing: ModelBlessing',
      '8. Evaluator',
      '     in   examples <- CsvExampleGen.examples',
      '     in   model <- Trainer.model',
      '     in   baseline_model <- latest_blessed_model_resolver.model (optional)',
      '     out  evaluation: ModelEvaluation',
      '     out  blessing: ModelBlessing',
      '9. Pusher',
      '     in   model <- Trainer.model',
      '     in   model_blessing <- Evaluator.blessing',
      '     out  pushed_model: PushedModel',
    ];
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines.length, expected.length, text.stdout);
    const moduleHash = createHash('sha256').update(readFileSync(moduleFile)).digest('hex');
    for (const [i, line] of lines.entries()) {
      assert.equal(line, expected[i].replace('.'.repeat(12), moduleHash.slice(0, 12)));
    }

    const json = runCli(['dags', 'show', ...args.slice(1), '--json']);
    assert.equal(json.status, 0, json.stderr);
    const ir = JSON.parse(json.stdout) as {
      components: { id: string; parameters: Record<string, unknown>; moduleFiles: unknown[] }[];
    };
    assert.deepEqual(
      ir.components.map((c) => c.id),
      TAXI_COMPONENTS,
    );
    assert.deepEqual(ir.components[0].parameters.inputBase, dataRoot);
    assert.deepEqual(ir.components[5].moduleFiles, [{ path: moduleFile, sha256: moduleHash }]);

    // A run's pipeline.json reads the same, with no TypeScript imported.
    const runFile = join(pipelineRoot, '.runs', 'one-per-process', 'pipeline.json');
    const fromRun = runCli(['dags', 'show', runFile]);
    assert.equal(fromRun.status, 0, fromRun.stderr);
    assert.equal(fromRun.stdout, text.stdout);
    const broken = JSON.parse(readFileSync(runFile, 'utf8')) as typeof ir;
    broken.components.reverse();
    const brokenFile = writeFile(root, 'broken.json', JSON.stringify(broken));
    assert.equal(
      runCli(['dags', 'show', brokenFile]).lastLine,
      `error: ${brokenFile}: not a pipeline IR: components[0].inputs.model.channel: Trainer.model is not an output of a component listed before Pusher`,
    );
    writeFileSync(brokenFile, '{');
    assert.match(
      runCli(['dags', 'show', brokenFile]).lastLine,
      new RegExp(`^error: ${brokenFile}: `),
    );
    assert.match(runCli(['dags', 'bogus']).lastLine, /^error: usage: tsfx dags list/);
  });
});
