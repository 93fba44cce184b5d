/// <reference lib="dom" />
// An artifact file drawn by the extension's file view in jsdom: the view `show()` draws (the
// statistics of every split, with the artifact named by its path), and the renderer's error box,
// naming the file and the field, for a malformed file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import '../dom-globals';
import { drawArtifactFile } from '../../../extension/src/files/view';
import { ARTIFACT_FILE_TYPES } from '../../../extension/src/files/fileTypes';
import { newDocument } from '../render-helpers';
import { folderReader, put } from '../../protocol/files/folderReader';
import type { StatisticsPayload } from '@tsfx/protocol';

const STATS = '.tsfx/pipelines/chicago_taxi/StatisticsGen/statistics/3';
let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tsfx-file-view-'));
  const payload = JSON.parse(
    readFileSync(join(__dirname, '..', 'fixtures', 'statistics.json'), 'utf8'),
  ) as StatisticsPayload;
  for (const dataset of payload.datasets)
    put(
      root,
      `${STATS}/Split-${dataset.name}/FeatureStats.json`,
      JSON.stringify({ datasets: [dataset] }),
    );
});

after(() => rmSync(root, { recursive: true, force: true }));

const host = (): HTMLElement => {
  const { document } = newDocument();
  return document.body.appendChild(document.createElement('div'));
};

test('a FeatureStats.json draws the statistics view of every split of its artifact', async () => {
  const path = `${STATS}/Split-eval/FeatureStats.json`;
  const el = host();
  const kind = await drawArtifactFile(
    el,
    path,
    readFileSync(join(root, path), 'utf8'),
    folderReader(root),
  );
  assert.equal(kind, 'statistics');
  assert.equal(el.querySelector('.tsfx-error'), null);
  const view = el.querySelector('.tsfx-view.tsfx-statistics');
  assert.ok(view, 'the statistics view is drawn');
  const datasets = [...view.querySelectorAll('button.tsfx-stats-dataset')].map((b) =>
    b.getAttribute('data-dataset'),
  );
  assert.deepEqual(datasets, ['eval', 'train']);
  // The artifact line: type, producer and folder; no id (it is in the metadata store, not the path).
  const line = view.querySelector('.tsfx-artifact-line')!;
  assert.equal(line.querySelector('.tsfx-artifact-type')?.textContent, 'ExampleStatistics');
  assert.equal(line.querySelector('.tsfx-artifact-id'), null);
  assert.equal(line.querySelector('.tsfx-artifact-producer')?.textContent, 'from StatisticsGen');
  assert.equal(line.querySelector('.tsfx-artifact-uri')?.textContent, STATS);
});

test('a malformed file shows the error box with its path and the field', async () => {
  const path = `${STATS}/Split-train/FeatureStats.json`;
  const el = host();
  const kind = await drawArtifactFile(
    el,
    path,
    '{"datasets": [{"numExamples": -1.5}]}',
    folderReader(root),
  );
  assert.equal(kind, null);
  assert.equal(el.querySelector('.tsfx-statistics'), null);
  assert.equal(
    el.querySelector('.tsfx-error')?.textContent,
    `${path}: not a TFDV statistics (statistics.datasets[0].numExamples should be a 64-bit integer, got number)`,
  );
  const notJson = host();
  await drawArtifactFile(
    notJson,
    'r/Trainer/model_run/2/events.jsonl',
    '{"type":"start"\n',
    folderReader(root),
  );
  assert.match(
    notJson.querySelector('.tsfx-error')?.textContent ?? '',
    /^r\/Trainer\/model_run\/2\/events.jsonl:1:16: not a JSON line/,
  );
});

test('the file types match the artifact file names exactly, before their extension', () => {
  const matching = (name: string) =>
    ARTIFACT_FILE_TYPES.filter((t) => t.pattern && new RegExp(t.pattern).test(name)).map(
      (t) => t.name,
    );
  assert.deepEqual(matching('FeatureStats.json'), ['tsfx-statistics']);
  assert.deepEqual(matching('SchemaDiff.json'), ['tsfx-anomalies']);
  assert.deepEqual(matching('schema.json'), ['tsfx-schema']);
  assert.deepEqual(matching('events.jsonl'), ['tsfx-training']);
  for (const other of [
    'other.json',
    'my_schema.json',
    'FeatureStats.json.bak',
    'events.json',
    'FeatureStatsXjson',
  ])
    assert.deepEqual(matching(other), [], other);
});
