/// <reference lib="dom" />
// Artifact files in JupyterLab's file browser, in headless Chromium: the taxi pipeline runs into
// a temporary folder's hidden `.tsfx/` (where it writes by default), the lab serves that folder,
// and double-clicking (folder by folder, from the root) each of FeatureStats.json, schema.json,
// SchemaDiff.json, the model run's events.jsonl and the evaluation's metrics.jsonl opens the tsfx
// view a notebook shows; a plain other.json still opens in JupyterLab's JSON viewer. Screenshots
// go to test/output/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  closeLabSession,
  openLabSession,
  OUTPUT_DIR,
  renderMeasures,
  REPO_ROOT,
  summariseTimes,
  tempDir,
} from './lab-helpers';
import type { LabSession, PageProblems } from './lab-helpers';

const PIPELINE_ROOT = '.tsfx/pipelines/chicago_taxi';
const PIPELINE_TIMEOUT_MS = 15 * 60_000;

let session: LabSession | undefined;
let page: Page;
let problems: PageProblems;
let folder: string;
const scratch: string[] = [];

/** Runs `tsfx run` on the taxi pipeline into `folder`'s .tsfx/ (its default layout). */
function runPipeline(dir: string): Promise<void> {
  const args = [
    join(REPO_ROOT, 'kernel-lib', 'bin', 'tsfx.js'),
    'run',
    join(REPO_ROOT, 'notebooks', 'dags', 'taxi_pipeline.ts'),
    '--pipeline-root',
    join(dir, PIPELINE_ROOT),
    '--metadata',
    join(dir, '.tsfx', 'metadata.sqlite'),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`tsfx run exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

/** The one execution folder of a component's output (`<root>/<component>/<key>/<id>`). */
function artifactFolder(component: string, key: string): string {
  const base = join(PIPELINE_ROOT, component, key);
  const ids = readdirSync(join(folder, base)).filter((name) => /^\d+$/.test(name));
  assert.equal(ids.length, 1, `one ${component} ${key} artifact in ${base}: ${ids.join(', ')}`);
  return `${base}/${ids[0]}`;
}

before(
  async () => {
    folder = tempDir('tsfx-files-root-');
    scratch.push(folder);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const started = Date.now();
    await runPipeline(folder);
    console.log(`[files] taxi pipeline ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    writeFileSync(join(folder, 'other.json'), JSON.stringify({ plain: ['json', 1, true] }));
    session = await openLabSession({ serverRoot: folder, prefix: 'tsfx-files' }, scratch);
    ({ page, problems } = session);
    await page.goto(session.lab.url);
    await page.locator('#filebrowser .jp-DirListing-content').waitFor({ timeout: 120_000 });
  },
  { timeout: PIPELINE_TIMEOUT_MS + 180_000 },
);

after(() => closeLabSession(session, scratch));

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The file browser's entry named `name` in the folder it shows. */
function entry(name: string): Locator {
  return page.locator('#filebrowser .jp-DirListing-item', {
    has: page.locator('.jp-DirListing-itemText', {
      hasText: new RegExp(`^${escapeRegExp(name)}$`),
    }),
  });
}

/**
 * Opens `path` as a person does: back to the root, then a double-click on each folder (waiting
 * for the breadcrumbs to show it) and on the file.
 */
async function openFromFileBrowser(path: string): Promise<void> {
  await page.locator('#filebrowser .jp-BreadCrumbs-home').click();
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const item = entry(parts[i]!);
    await item.waitFor({ timeout: 30_000 });
    await item.dblclick();
    if (i < parts.length - 1) {
      const here = parts.slice(0, i + 1).join('/');
      await page
        .locator(`#filebrowser .jp-BreadCrumbs [data-path="${here}"]`)
        .waitFor({ timeout: 30_000 });
    }
  }
}

/** The open document's view in the main area, once drawn. */
async function documentView(rootClass: string): Promise<Locator> {
  const view = page.locator(
    `#jp-main-dock-panel .jp-MainAreaWidget:not(.lm-mod-hidden) ${rootClass}`,
  );
  await view.waitFor({ timeout: 60_000 });
  assert.equal(
    await page.locator('#jp-main-dock-panel .tsfx-error').count(),
    0,
    'no tsfx error box',
  );
  return view;
}

async function closeAll(): Promise<void> {
  await page.evaluate(async () => {
    const app = (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string): Promise<unknown> } };
      }
    ).jupyterapp;
    await app.commands.execute('application:close-all');
  });
  // (The launcher opens in the emptied main area.)
  await page
    .locator('#jp-main-dock-panel :is(.tsfx-file-view, .jp-RenderedJSON)')
    .first()
    .waitFor({ state: 'detached' });
}

test('the hidden .tsfx folder is listed in the file browser', async () => {
  await page.locator('#filebrowser .jp-BreadCrumbs-home').click();
  await entry('.tsfx').waitFor({ timeout: 30_000 });
  assert.equal(await entry('other.json').count(), 1);
});

test(
  'FeatureStats.json opens in the statistics view, with every split',
  { timeout: 180_000 },
  async () => {
    await openFromFileBrowser(
      `${artifactFolder('StatisticsGen', 'statistics')}/Split-train/FeatureStats.json`,
    );
    const view = await documentView('.tsfx-statistics');
    const datasets = view.locator('button.tsfx-stats-dataset');
    assert.deepEqual(
      await datasets.evaluateAll((b) => b.map((e) => e.getAttribute('data-dataset'))),
      ['train', 'eval'],
    );
    assert.equal(await view.locator('.tsfx-artifact-producer').textContent(), 'from StatisticsGen');
    const features = view.locator('tbody.tsfx-stats-feature');
    const order = () =>
      features.evaluateAll((bodies) => bodies.map((b) => b.getAttribute('data-feature')));
    assert.equal(await features.count(), 18, 'every taxi feature');
    const inFeatureOrder = await order();
    await view.locator('select.tsfx-stats-sort').selectOption('name');
    const byName = await order();
    assert.notDeepEqual(byName, inFeatureOrder);
    assert.equal(byName[0], 'dropoff_census_tract', 'numeric features by name');
    await page.screenshot({ path: join(OUTPUT_DIR, 'lab-file-statistics.png') });
    await closeAll();
  },
);

test('schema.json opens in the schema view', { timeout: 180_000 }, async () => {
  await openFromFileBrowser(`${artifactFolder('SchemaGen', 'schema')}/schema.json`);
  const view = await documentView('.tsfx-schema');
  assert.equal(await view.locator('tbody tr[data-feature]').count(), 18);
  // The company domain is long: folded, and it unfolds on a click.
  const values = view.locator('tr[data-feature="company"] details.tsfx-domain-values');
  assert.equal(await values.getAttribute('open'), null);
  await values.locator('summary').click();
  assert.equal(await values.getAttribute('open'), '');
  await page.screenshot({ path: join(OUTPUT_DIR, 'lab-file-schema.png') });
  await closeAll();
});

test(
  'SchemaDiff.json opens in the anomalies view, with every split',
  { timeout: 180_000 },
  async () => {
    await openFromFileBrowser(
      `${artifactFolder('ExampleValidator', 'anomalies')}/Split-eval/SchemaDiff.json`,
    );
    const view = await documentView('.tsfx-anomalies');
    const splits = view.locator('section.tsfx-anomalies-split');
    assert.deepEqual(await splits.evaluateAll((s) => s.map((e) => e.getAttribute('data-split'))), [
      'eval',
      'train',
    ]);
    // The eval split has taxi companies the training split never saw (the notebook's point).
    const company = view.locator(
      'section[data-split="eval"] tr.tsfx-anomaly[data-feature="company"]',
    );
    // (The anomalies view has no controls: what it lists is the check.)
    assert.equal(await company.count(), 1);
    assert.match((await company.locator('.tsfx-anomaly-short').textContent()) ?? '', /\S/);
    assert.equal(await view.locator('section[data-split="train"] tr.tsfx-anomaly').count(), 0);
    await page.screenshot({ path: join(OUTPUT_DIR, 'lab-file-anomalies.png') });
    await closeAll();
  },
);

test("a model run's events.jsonl opens in the training view", { timeout: 180_000 }, async () => {
  await openFromFileBrowser(`${artifactFolder('Trainer', 'model_run')}/events.jsonl`);
  const view = await documentView('.tsfx-training');
  assert.match((await view.locator('.tsfx-training-status').textContent()) ?? '', /done/);
  const runs = view.locator('button.tsfx-training-run');
  assert.deepEqual(await runs.evaluateAll((b) => b.map((e) => e.getAttribute('data-run'))), [
    'train',
    'train_epoch',
    'validation',
  ]);
  const trainLines = view.locator('g.tsfx-training-line[data-run="train"]');
  assert.ok((await trainLines.count()) > 0);
  await runs.first().click();
  assert.equal(await runs.first().getAttribute('aria-pressed'), 'false');
  assert.equal(await trainLines.count(), 0, 'the train run is hidden');
  await page.screenshot({ path: join(OUTPUT_DIR, 'lab-file-training.png') });
  await closeAll();
});

test(
  "an evaluation's metrics.jsonl opens in the evaluation view",
  { timeout: 180_000 },
  async () => {
    await openFromFileBrowser(`${artifactFolder('Evaluator', 'evaluation')}/metrics.jsonl`);
    const view = await documentView('.tsfx-evaluation');
    // The verdict comes from validations.json and the plots from plots.jsonl, read beside it.
    assert.match((await view.locator('.tsfx-eval-verdict').textContent()) ?? '', /^Validation /);
    assert.ok((await view.locator('.tsfx-eval-table tbody tr').count()) > 10);
    assert.ok((await view.locator('[data-chart="roc"] path.tsfx-eval-curve').count()) >= 1);
    await view.locator('.tsfx-eval-table tbody tr[data-slice="trip_start_hour:7"]').click();
    assert.equal(
      await view.locator('[data-control="plot-slice"]').inputValue(),
      'trip_start_hour:7',
    );
    await page.screenshot({ path: join(OUTPUT_DIR, 'lab-file-evaluation.png') });
    await closeAll();
  },
);

test('a plain other.json still opens in the JSON viewer', { timeout: 120_000 }, async () => {
  await openFromFileBrowser('other.json');
  await page
    .locator('#jp-main-dock-panel .jp-MainAreaWidget .jp-RenderedJSON')
    .waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#jp-main-dock-panel .tsfx-file-view').count(), 0);
  await closeAll();
});

test('no console errors in the page; a draw time recorded per view', async () => {
  assert.deepEqual(problems.consoleErrors, []);
  const times = summariseTimes(await renderMeasures(page));
  console.log(`[files] draw times (ms): ${JSON.stringify(times)}`);
  for (const kind of ['statistics', 'schema', 'anomalies', 'training', 'evaluation'])
    assert.equal(times[kind]?.count, 1, `one drawing of the ${kind} view`);
});
