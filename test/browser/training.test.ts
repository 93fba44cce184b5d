/// <reference lib="dom" />
// TensorBoard's scalars features of the training view in the project's JupyterLab, in headless
// Chromium: a notebook whose saved output is the taxi training run (test/extension/fixtures/
// training.json, from the kernel) opens, and each control is used once as a person would: the log
// scale button, ignore outliers, a mouse drag to zoom and a double-click to fit, full size and
// the card width slider, the four downloads (CSV, JSON, SVG, PNG: the files' contents checked),
// and the run and tag filters. Screenshots go to test/output/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { MIME_TYPES } from '@tsfx/protocol';
import type { TrainingPayload } from '@tsfx/protocol';
import {
  closeLabSession,
  openLabSession,
  OUTPUT_DIR,
  REPO_ROOT,
  tempDir,
  tslabNotebook,
} from './lab-helpers';
import type { LabSession, PageProblems } from './lab-helpers';

const FIXTURE = join(REPO_ROOT, 'test', 'extension', 'fixtures', 'training.json');
const payload = JSON.parse(readFileSync(FIXTURE, 'utf8')) as TrainingPayload;

let session: LabSession | undefined;
let page: Page;
let problems: PageProblems;
let view: Locator;
const scratch: string[] = [];

function notebook(): object {
  return tslabNotebook([
    {
      cell_type: 'code',
      execution_count: 1,
      id: 'cell-training',
      metadata: {},
      source: ['// show(trainer.outputs.model_run)'],
      outputs: [
        {
          output_type: 'display_data',
          metadata: {},
          data: { [MIME_TYPES.training]: payload, 'text/plain': ['training view'] },
        },
      ],
    },
  ]);
}

before(
  async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const folder = tempDir('tsfx-training-root-');
    scratch.push(folder);
    const path = join(folder, 'training.ipynb');
    writeFileSync(path, JSON.stringify(notebook()));
    session = await openLabSession({ notebookPath: path, prefix: 'tsfx-training' }, scratch);
    ({ page, problems } = session);
    await page.goto(session.lab.url);
    view = page.locator('.jp-Notebook .tsfx-training').first();
    await view.waitFor({ timeout: 120_000 });
  },
  { timeout: 240_000 },
);

after(() => closeLabSession(session, scratch));

const card = (tag: string) => view.locator(`figure[data-tag="${tag}"]`);
const yLabels = (tag: string) =>
  card(tag)
    .locator('.tsfx-training-axis text[text-anchor="end"]')
    .evaluateAll((ts) => ts.map((t) => t.textContent ?? ''));
const xLabels = (tag: string) =>
  card(tag)
    .locator('.tsfx-training-axis text[text-anchor="middle"]')
    .evaluateAll((ts) => ts.map((t) => t.textContent ?? ''));

test('the log button puts a chart’s y axis on a log scale', { timeout: 60_000 }, async () => {
  const log = card('loss').locator('button[data-tool="log"]');
  await log.click();
  assert.equal(await log.getAttribute('aria-pressed'), 'true');
  // The ticks sit at log-spaced heights: pixels per decade the same between any two of them.
  const ticks = await card('loss')
    .locator('.tsfx-training-axis text[text-anchor="end"]')
    .evaluateAll((ts) => ts.map((t) => [Number(t.textContent), Number(t.getAttribute('y'))]));
  assert.ok(ticks.length >= 3);
  const perDecade = (a: number[], b: number[]) => (a[1]! - b[1]!) / Math.log10(b[0]! / a[0]!);
  const first = perDecade(ticks[0]!, ticks.at(-1)!);
  for (let k = 1; k < ticks.length; k++)
    assert.ok(Math.abs(perDecade(ticks[k - 1]!, ticks[k]!) - first) < 1.5, `tick ${k}`);
  await page.screenshot({ path: join(OUTPUT_DIR, 'lab-training-log.png') });
  await card('loss').locator('button[data-tool="log"]').click();
});

test('ignore outliers changes the y range', { timeout: 60_000 }, async () => {
  const before = await yLabels('loss');
  await view.locator('input.tsfx-training-outliers').check();
  assert.notDeepEqual(await yLabels('loss'), before);
  await view.locator('input.tsfx-training-outliers').uncheck();
  assert.deepEqual(await yLabels('loss'), before);
});

test(
  'a mouse drag zooms into a box, a double-click fits to the data',
  { timeout: 60_000 },
  async () => {
    const before = await xLabels('loss');
    const overlay = card('loss').locator('.tsfx-training-overlay');
    const box = await overlay.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + 2, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await xLabels('loss');
    assert.notDeepEqual(zoomed, before);
    assert.ok(
      Number(zoomed.at(-1)!.replace(/,/g, '')) <= 220,
      `zoomed to about step 200: ${zoomed}`,
    );
    await card('loss').locator('.tsfx-training-overlay').dblclick();
    assert.deepEqual(await xLabels('loss'), before);
  },
);

test('full size and the card width slider resize the cards', { timeout: 60_000 }, async () => {
  const width = async (tag: string) => (await card(tag).boundingBox())!.width;
  const small = await width('accuracy');
  await card('accuracy').locator('button[data-tool="full"]').click();
  const full = await width('accuracy');
  assert.ok(full > small * 1.5, `full size ${full} px against ${small} px`);
  await card('accuracy').locator('button[data-tool="full"]').click();
  await view.locator('input.tsfx-training-card-width').fill('640');
  const wide = await width('loss');
  assert.ok(wide >= 640, `a card at least 640 px wide: ${wide}`);
  await page.screenshot({ path: join(OUTPUT_DIR, 'lab-training-card-width.png') });
  await view.locator('input.tsfx-training-card-width').fill('300');
});

test(
  'the downloads give the data as CSV and JSON, the chart as SVG and PNG',
  { timeout: 60_000 },
  async () => {
    const lossPoints = payload.runs.reduce(
      (n, r) => n + (r.series.find((s) => s.tag === 'loss')?.points.length ?? 0),
      0,
    );
    const take = async (format: string): Promise<{ name: string; bytes: Buffer }> => {
      await card('loss').locator('summary.tsfx-training-tool').click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        card('loss').locator(`button[data-download="${format}"]`).click(),
      ]);
      const path = await download.path();
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const csv = await take('csv');
    assert.equal(csv.name, 'tsfx-training-loss.csv');
    const rows = csv.bytes.toString('utf8').trim().split('\n');
    assert.equal(rows[0], 'Run,Wall time,Step,Value');
    assert.equal(rows.length - 1, lossPoints);
    const json = await take('json');
    const data = JSON.parse(json.bytes.toString('utf8')) as Record<string, number[][]>;
    assert.deepEqual(Object.keys(data), ['train', 'train_epoch', 'validation']);
    const lastValidation = payload.runs
      .find((r) => r.name === 'validation')!
      .series.find((s) => s.tag === 'loss')!
      .points.at(-1)!;
    assert.deepEqual(data.validation!.at(-1), [
      lastValidation.wallTime,
      lastValidation.step,
      lastValidation.value,
    ]);
    const svg = await take('svg');
    assert.equal(svg.name, 'tsfx-training-loss.svg');
    const text = svg.bytes.toString('utf8');
    assert.match(text, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(text, /class="tsfx-training-smoothed"[^>]*style="[^"]*stroke: rgb/);
    assert.doesNotMatch(text, /tsfx-training-overlay/);
    const png = await take('png');
    assert.equal(png.name, 'tsfx-training-loss.png');
    assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    // The PNG is drawn at twice the chart's 360 × 220.
    assert.equal(png.bytes.readUInt32BE(16), 720);
    assert.equal(png.bytes.readUInt32BE(20), 440);
  },
);

test('the run and tag filters take regular expressions', { timeout: 60_000 }, async () => {
  await view.locator('input.tsfx-training-filter-runs').fill('^val');
  assert.equal(await card('loss').locator('g.tsfx-training-line').count(), 1);
  assert.equal(
    await card('loss').locator('g.tsfx-training-line').getAttribute('data-run'),
    'validation',
  );
  await view.locator('input.tsfx-training-filter-runs').fill('');
  await view.locator('input.tsfx-training-filter-tags').fill('^(acc|auc)');
  assert.deepEqual(
    await view
      .locator('figure.tsfx-training-chart')
      .evaluateAll((fs) => fs.map((f) => f.getAttribute('data-tag'))),
    ['accuracy', 'auc'],
  );
  await page.screenshot({ path: join(OUTPUT_DIR, 'lab-training-filters.png') });
  await view.locator('input.tsfx-training-filter-tags').fill('');
});

test('no console errors in the page', () => {
  assert.deepEqual(problems.consoleErrors, []);
});
