// An artifact file opened on its own → the payload `show()` sends for its artifact: statistics
// and anomalies of every split (siblings read through the reader), the schema, the training
// curves of an events.jsonl; a malformed file is refused naming the file and where it is wrong.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  artifactFileView,
  FileFormatError,
  parseEventLog,
  parsePayload,
  type AnomaliesPayload,
  type SchemaPayload,
  type StatisticsPayload,
} from '@tsfx/protocol';
import { folderReader, put } from './folderReader';

const FIXTURES = join(__dirname, '..', '..', 'kernel-lib', 'display', 'fixtures');
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;
const json = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`;

const STATS = 'p/StatisticsGen/statistics/3';
const ANOMALIES = 'p/ExampleValidator/anomalies/5';
const RUN = 'p/Trainer/model_run/7';

let root: string;
// The kernel's payloads of the taxi sample (train and eval), whose parts the files hold.
const statistics = fixture('statistics-taxi.json') as StatisticsPayload;
const anomalies = fixture('anomalies-taxi.json') as AnomaliesPayload;
const schema = fixture('schema-taxi.json') as SchemaPayload;

const EVENTS = [
  '{"type":"start","wallTime":100,"backend":"wasm","trainExamples":20,"evalExamples":10,"batchSize":10,"numSteps":2,"stepsPerEpoch":2}',
  '{"type":"batch","step":1,"epoch":1,"wallTime":101,"examples":10,"train":{"loss":0.7,"accuracy":0.5,"auc":null}}',
  '{"type":"batch","step":2,"epoch":1,"wallTime":102,"examples":20,"train":{"loss":0.6,"accuracy":0.6,"auc":0.7}}',
  '{"type":"epoch","step":2,"epoch":1,"wallTime":102.5,"train":{"loss":0.65,"accuracy":0.55,"auc":0.68},"validation":{"loss":0.62,"accuracy":0.6,"auc":0.71}}',
  '{"type":"end","step":2,"wallTime":103,"trainSeconds":3,"examplesPerSecond":6.67,"validation":{"loss":0.62,"accuracy":0.6,"auc":0.71}}',
];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tsfx-files-'));
  for (const dataset of statistics.datasets) {
    // TFDV's own files name no dataset; the view names each after its split.
    put(
      root,
      `${STATS}/Split-${dataset.name}/FeatureStats.json`,
      json({ datasets: [{ ...dataset, name: '' }] }),
    );
  }
  put(root, `${STATS}/Split-empty/.keep`, '');
  for (const split of anomalies.splits)
    put(root, `${ANOMALIES}/Split-${split.name}/SchemaDiff.json`, json(split.anomalies));
  put(root, 'p/SchemaGen/schema/4/schema.json', json(schema.schema));
  put(root, `${RUN}/events.jsonl`, EVENTS.join('\n') + '\n');
});

after(() => rmSync(root, { recursive: true, force: true }));

const open = async (path: string) =>
  artifactFileView(path, readFileSync(join(root, path), 'utf8'), folderReader(root));

describe('an artifact file opens as its artifact', () => {
  it('statistics: every split of the artifact, the opened one first, named after its split', async () => {
    const [train, evalSplit] = parsePayload('statistics', statistics).datasets;
    const view = await open(`${STATS}/Split-eval/FeatureStats.json`);
    assert.equal(view.kind, 'statistics');
    assert.deepEqual(view.payload, {
      kind: 'statistics',
      artifacts: [{ id: null, type: 'ExampleStatistics', uri: STATS, producer: 'StatisticsGen' }],
      // Split-empty has no FeatureStats.json: left out.
      datasets: [evalSplit, train],
    });
    const fromTrain = await open(`${STATS}/Split-train/FeatureStats.json`);
    assert.deepEqual(
      fromTrain.kind === 'statistics' && fromTrain.payload.datasets.map((d) => d.name),
      ['train', 'eval'],
    );
    // What the renderer is given passes the protocol's validator as it is.
    assert.deepEqual(parsePayload('statistics', fromTrain.payload), fromTrain.payload);
  });

  it('anomalies: every split of the artifact', async () => {
    const view = await open(`${ANOMALIES}/Split-train/SchemaDiff.json`);
    const expected = parsePayload('anomalies', anomalies);
    assert.deepEqual(view, {
      kind: 'anomalies',
      payload: {
        kind: 'anomalies',
        artifact: {
          id: null,
          type: 'ExampleAnomalies',
          uri: ANOMALIES,
          producer: 'ExampleValidator',
        },
        splits: expected.splits,
      },
    });
    assert.deepEqual(
      expected.splits.map((s) => s.name),
      ['train', 'eval'],
    );
  });

  it('schema', async () => {
    const view = await open('p/SchemaGen/schema/4/schema.json');
    assert.deepEqual(view, {
      kind: 'schema',
      payload: {
        kind: 'schema',
        artifact: { id: null, type: 'Schema', uri: 'p/SchemaGen/schema/4', producer: 'SchemaGen' },
        schema: parsePayload('schema', schema).schema,
      },
    });
  });

  it('events.jsonl: the training curves, TensorBoard style', async () => {
    const view = await open(`${RUN}/events.jsonl`);
    const at = (step: number, wallTime: number, value: number) => ({ step, wallTime, value });
    assert.deepEqual(view, {
      kind: 'training',
      payload: {
        kind: 'training',
        artifact: { id: null, type: 'ModelRun', uri: RUN, producer: 'Trainer' },
        status: 'done',
        backend: 'wasm',
        progress: { step: 2, numSteps: 2, epoch: 1, examplesPerSecond: 6.67 },
        runs: [
          {
            name: 'train',
            series: [
              { tag: 'loss', points: [at(1, 101, 0.7), at(2, 102, 0.6)] },
              { tag: 'accuracy', points: [at(1, 101, 0.5), at(2, 102, 0.6)] },
              // The first batch's AUC is null (undefined for one class): no point.
              { tag: 'auc', points: [at(2, 102, 0.7)] },
            ],
          },
          {
            name: 'train_epoch',
            series: [
              { tag: 'loss', points: [at(2, 102.5, 0.65)] },
              { tag: 'accuracy', points: [at(2, 102.5, 0.55)] },
              { tag: 'auc', points: [at(2, 102.5, 0.68)] },
            ],
          },
          {
            name: 'validation',
            series: [
              { tag: 'loss', points: [at(2, 102.5, 0.62)] },
              { tag: 'accuracy', points: [at(2, 102.5, 0.6)] },
              { tag: 'auc', points: [at(2, 102.5, 0.71)] },
            ],
          },
        ],
      },
    });
    // A log without its `end` record (a run that stopped) reads as failed.
    const cut = await artifactFileView(
      `${RUN}/events.jsonl`,
      EVENTS.slice(0, 3).join('\r\n'),
      folderReader(root),
    );
    assert.equal(cut.kind === 'training' && cut.payload.status, 'failed');
  });
});

describe('a malformed artifact file is refused with its path and where it is wrong', () => {
  const refused = async (path: string, text: string, message: RegExp | string) => {
    await assert.rejects(artifactFileView(path, text, folderReader(root)), (error: unknown) => {
      assert.ok(error instanceof FileFormatError, String(error));
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    });
  };

  it('not JSON: file:line:column', async () => {
    const path = `${STATS}/Split-train/FeatureStats.json`;
    // The value of "b" (line 3, column 7) is not JSON.
    await refused(
      path,
      '{\n "datasets": [],\n "b": x\n}',
      new RegExp(`^${path}:3:7: not a statistics JSON file \\(`),
    );
    await refused(path, '{"datasets": [', new RegExp(`^${path}:1:15: not a statistics JSON file`));
    await refused(path, '', `${path}:1:1: not a statistics JSON file (the file is empty)`);
  });

  it('not the message: the file and the field', async () => {
    const path = `${STATS}/Split-train/FeatureStats.json`;
    await refused(
      path,
      '{"datasets": [{"numExamples": "ten"}]}',
      `${path}: not a TFDV statistics (statistics.datasets[0].numExamples should be a 64-bit integer, got "ten")`,
    );
    await refused(
      path,
      '{"datasets": []}',
      `${path}: not a TFDV statistics (expected a "datasets" list)`,
    );
    // A JSON Schema document named schema.json is not taken for an empty TFDV schema.
    await refused(
      'config/schema.json',
      '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}',
      'config/schema.json: not a TFDV schema (expected an object with a "feature" list)',
    );
    await refused(
      `${ANOMALIES}/Split-eval/SchemaDiff.json`,
      '{"anomalyInfo": {"company": {"severity": "FATAL"}}}',
      new RegExp(
        `^${ANOMALIES}/Split-eval/SchemaDiff.json: not a TFDV anomalies \\(anomalies.anomalyInfo\\["company"\\].severity should be one of UNKNOWN, WARNING, ERROR, got "FATAL"\\)$`,
      ),
    );
  });

  it('a bad sibling split is named, not the opened file', async () => {
    put(
      root,
      'q/StatisticsGen/statistics/9/Split-train/FeatureStats.json',
      json({ datasets: [{ name: '' }] }),
    );
    put(
      root,
      'q/StatisticsGen/statistics/9/Split-eval/FeatureStats.json',
      '{"datasets": [{"features": [{"name": 3}]}]}',
    );
    await refused(
      'q/StatisticsGen/statistics/9/Split-train/FeatureStats.json',
      json({ datasets: [{ name: '' }] }),
      /^q\/StatisticsGen\/statistics\/9\/Split-eval\/FeatureStats.json: not a TFDV statistics \(statistics\.datasets\[0\]\.features\[0\]/,
    );
  });

  it('events.jsonl: file:line (and column) of the bad record', async () => {
    const path = `${RUN}/events.jsonl`;
    const lines = [...EVENTS];
    lines[2] =
      '{"type":"batch","step":2,"epoch":1,"wallTime":102,"examples":20,"train":{"loss":0.6,"accuracy":0.6,"auc":0.7}';
    await refused(path, lines.join('\n'), new RegExp(`^${path}:3:110: not a JSON line \\(`));
    lines[2] = '{"type":"checkpoint","step":2}';
    await refused(
      path,
      lines.join('\n'),
      `${path}:3: event.type should be one of start, batch, epoch, end, got "checkpoint"`,
    );
    lines[2] =
      '{"type":"batch","step":"2","epoch":1,"wallTime":102,"examples":20,"train":{"loss":0.6,"accuracy":0.6,"auc":0.7}}';
    await refused(
      path,
      lines.join('\n'),
      `${path}:3: event.step should be a finite number, got "2"`,
    );
    assert.throws(
      () => parseEventLog('\n\n[1]\n', path),
      new RegExp(`^FileFormatError: ${path}:3: event should be an object, got an array$`),
    );
  });
});
