/// <reference lib="dom" />
// The walkthrough notebook in the project's JupyterLab, in headless Chromium: the lab starts
// (scripts/lab/start.mjs), notebooks/notebook.ipynb opens with the tslab kernel, every cell
// runs without an error output or a console error, and every tsfx view the notebook produces
// is drawn by jupyterlab-tsfx, in the light and the dark theme. Screenshots and the renderers'
// draw times go to test/output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  cellReports,
  closeLabSession,
  KERNEL_CONNECT_TIMEOUT_MS,
  mimeOf,
  openLabSession,
  openNotebook,
  OUTPUT_DIR,
  renderMeasures,
  REPO_ROOT,
  runAllCells,
  screenshotView,
  summariseTimes,
  TSFX_KINDS,
  setOutputWidth,
} from './lab-helpers';
import type { CellReport, LabSession, PageProblems, RunningLab, TsfxKind } from './lab-helpers';
import { notebookEnvironment } from '../notebooks/notebookRun';
import { TAXI_COMPONENTS } from '../helpers';

const NOTEBOOK = resolve(REPO_ROOT, process.env.TSFX_LAB_NOTEBOOK ?? 'notebooks/notebook.ipynb');
const RUN_TIMEOUT_MS = Number(process.env.TSFX_LAB_RUN_TIMEOUT_MS ?? 15 * 60_000);

let session: LabSession | undefined;
let lab: RunningLab;
let page: Page;
let problems: PageProblems;
let reports: CellReport[];
const scratch: string[] = [];

before(async () => {
  assert.ok(existsSync(NOTEBOOK), `${NOTEBOOK} is missing`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  // The notebook runs into a fresh folder of its own (the kernel inherits the lab's environment),
  // so that every component runs rather than replaying an earlier run's cache.
  const notebookDir = mkdtempSync(join(tmpdir(), 'tsfx-lab-notebook-'));
  scratch.push(notebookDir);
  Object.assign(process.env, notebookEnvironment(notebookDir));
  session = await openLabSession({ notebookPath: NOTEBOOK, prefix: 'tsfx-lab' }, scratch);
  ({ lab, page, problems } = session);
});

after(() => closeLabSession(session, scratch));

function tsfxKindsIn(cells: CellReport[]): Map<TsfxKind, number> {
  const counts = new Map<TsfxKind, number>();
  for (const cell of cells) {
    for (const output of cell.outputs) {
      for (const kind of TSFX_KINDS) {
        if (output.mimeTypes.includes(mimeOf(kind))) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      }
    }
  }
  return counts;
}

test(
  'the notebook opens in JupyterLab with a connected tslab kernel',
  { timeout: KERNEL_CONNECT_TIMEOUT_MS + 60_000 },
  async () => {
    const state = await openNotebook(page, lab);
    assert.equal(state.path, relative(REPO_ROOT, NOTEBOOK).split('\\').join('/'));
    assert.equal(state.kernel, 'tslab');
    assert.equal(state.connection, 'connected');
    assert.ok(state.cells > 0);
  },
);

test('every cell runs without an error output', { timeout: RUN_TIMEOUT_MS + 60_000 }, async () => {
  const started = Date.now();
  reports = await runAllCells(page, RUN_TIMEOUT_MS);
  console.log(
    `[lab] ran ${reports.filter((c) => c.type === 'code').length} code cells in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const errors = reports.flatMap((c) =>
    c.outputs.filter((o) => o.type === 'error').map((o) => `cell ${c.index}: ${o.error}`),
  );
  assert.deepEqual(errors, []);
  const notRun = reports
    .filter((c) => c.type === 'code' && c.executionCount === null)
    .map((c) => c.index);
  assert.deepEqual(notRun, [], 'code cells without an execution count');
});

test('every component runs (done), the Trainer with a live-updated training view', async () => {
  assert.ok(reports, 'the notebook ran');
  const lines = await page.locator('.jp-Notebook .tsfx-progress').allTextContents();
  const states = new Map(
    lines.map((l): [string, string] => {
      const match = /^(\w+) \[(\w+)\]/.exec(l);
      return match ? [match[1], match[2]] : [l, '?'];
    }),
  );
  const components = TAXI_COMPONENTS;
  assert.deepEqual(
    components.map((id) => [id, states.get(id)]),
    components.map((id) => [id, 'done']),
  );
  // The live view the Trainer updated in place while it ran, then context.show(model_run).
  const training = page.locator('.jp-Notebook .tsfx-training');
  assert.equal(await training.count(), 2);
  assert.equal(await training.first().getAttribute('data-status'), 'done');
});

/**
 * The kinds of view the walkthrough notebook shows: each must be drawn, and each is checked with
 * one interaction, so a view that stops appearing fails the test instead of skipping its check.
 */
const WALKTHROUGH_KINDS: readonly TsfxKind[] = [
  'examples',
  'statistics',
  'schema',
  'anomalies',
  'training',
  'lineage',
  'model',
  'transformGraph',
];

test(
  'every tsfx view the notebook produces is drawn by jupyterlab-tsfx',
  { timeout: 120_000 },
  async () => {
    assert.ok(reports, 'the notebook ran');
    const expected = tsfxKindsIn(reports);
    for (const kind of WALKTHROUGH_KINDS) {
      assert.ok(
        expected.has(kind),
        `the notebook shows no ${kind} view: ${JSON.stringify([...expected])}`,
      );
    }
    for (const [kind, count] of expected) {
      const selector = `.jp-Notebook .jp-OutputArea-output .tsfx-${kind}`;
      await page.waitForSelector(selector, { timeout: 30_000 });
      assert.equal(
        await page.locator(selector).count(),
        count,
        `number of drawn .tsfx-${kind} views`,
      );
    }
    // No tsfx output fell back to its text/html bundle or to an error box.
    assert.equal(await page.locator('.jp-Notebook .tsfx-error').count(), 0, 'tsfx renderer errors');

    await checkExamples();
    await checkLineage();
    await checkStatistics();
    await checkSchema();
    await checkAnomalies();
    await checkTraining();
    await checkModel();
    await checkTransformGraph();

    await page.screenshot({ path: join(OUTPUT_DIR, 'lab-notebook-light.png'), fullPage: true });
    for (const kind of expected.keys()) {
      await page
        .locator(`.jp-Notebook .tsfx-${kind}`)
        .first()
        .screenshot({ path: join(OUTPUT_DIR, `lab-tsfx-${kind}-light.png`) });
    }

    const times = summariseTimes(await renderMeasures(page));
    for (const [kind, count] of expected) {
      assert.ok((times[kind]?.count ?? 0) >= count, `draw times recorded for ${kind}`);
    }
    writeFileSync(
      join(OUTPUT_DIR, 'render-times.json'),
      JSON.stringify(
        {
          notebook: relative(REPO_ROOT, NOTEBOOK),
          measuredAt: new Date().toISOString(),
          renderers: times,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(
      `[lab] render times (ms): ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.ms])))}`,
    );
  },
);

/** Examples: split tabs with row counts, a typed sample table; the second tab shows its split. */
async function checkExamples(): Promise<void> {
  const examples = page.locator('.jp-Notebook .tsfx-examples').first();
  const tabs = examples.locator('.tsfx-split');
  assert.equal(await tabs.count(), 2, 'the train and eval tabs');
  assert.match(
    (await examples.locator('.tsfx-split-rows').first().textContent()) ?? '',
    /^[\d,]+ rows$/,
  );
  assert.ok((await examples.locator('thead th .tsfx-col-type').count()) >= 1);
  assert.ok((await examples.locator('tbody tr').count()) >= 1);
  const second = tabs.nth(1);
  await second.click();
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  assert.equal(await tabs.nth(0).getAttribute('aria-selected'), 'false');
  assert.match(
    (await examples.locator('.tsfx-examples-caption').textContent()) ?? '',
    new RegExp(`"${await second.getAttribute('data-split')}"`),
  );
}

/** Lineage: one SVG node per payload node; clicking one shows its properties. */
async function checkLineage(): Promise<void> {
  const lineage = page.locator('.jp-Notebook .tsfx-lineage').first();
  const nodes = lineage.locator('g.tsfx-node');
  assert.ok((await nodes.count()) >= 2, 'lineage has at least an execution and an artifact');
  assert.ok((await lineage.locator('path.tsfx-edge').count()) >= 1);
  const id = await lineage
    .locator('g.tsfx-node:not(.tsfx-selected)')
    .first()
    .getAttribute('data-node-id');
  assert.ok(id, 'an unselected node');
  const target = lineage.locator(`g.tsfx-node[data-node-id="${id}"]`);
  await target.click();
  assert.equal(await lineage.locator('.tsfx-details-id').textContent(), id);
  assert.equal(await target.getAttribute('aria-pressed'), 'true');
  // Zoom: the buttons scale the drawing, a drag pans it, fit puts it back.
  const svg = lineage.locator('svg.tsfx-lineage-svg');
  const zoom = async () => Number(await svg.getAttribute('data-zoom'));
  const fitted = await zoom();
  await lineage.locator('.tsfx-zoom button[aria-label="zoom in"]').click();
  assert.ok((await zoom()) > fitted, 'zoomed in');
  const group = lineage.locator('g.tsfx-lineage-zoom');
  const before = await group.getAttribute('transform');
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + 30, { steps: 4 });
  await page.mouse.up();
  assert.notEqual(await group.getAttribute('transform'), before, 'a drag pans');
  await lineage.locator('.tsfx-zoom button[aria-label="fit to view"]').click();
  assert.equal(await zoom(), fitted);
  // The artifact line's copy button copies the whole URI.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(page.url()).origin,
  });
  const stats = page.locator('.jp-Notebook .tsfx-statistics').first();
  const uri = await stats.locator('.tsfx-artifact-uri').first().getAttribute('title');
  await stats.locator('button.tsfx-copy').first().click();
  await stats.locator('button.tsfx-copy[data-copied]').first().waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), uri);
}

/**
 * Statistics (StatisticsGen's output): all 18 taxi features, sorting reorders them, the legend
 * hides and shows a dataset, percentages and quantiles toggle.
 */
async function checkStatistics(): Promise<void> {
  const statistics = page.locator('.jp-Notebook .tsfx-statistics').first();
  const features = statistics.locator('tbody.tsfx-stats-feature');
  const order = () =>
    features.evaluateAll((bodies) => bodies.map((b) => b.getAttribute('data-feature') ?? ''));
  assert.equal(await features.count(), 18, 'statistics lists every taxi feature');
  const inFeatureOrder = await order();
  await statistics.locator('select.tsfx-stats-sort').selectOption('name');
  const byName = await order();
  assert.notDeepEqual(byName, inFeatureOrder);
  assert.equal(byName[0], 'dropoff_census_tract', 'numeric features by name');
  await statistics.locator('select.tsfx-stats-sort').selectOption('order');
  assert.deepEqual(await order(), inFeatureOrder);
  const datasets = statistics.locator('button.tsfx-stats-dataset');
  assert.ok((await datasets.count()) >= 2, 'train and eval are compared');
  const second = datasets.nth(1);
  const name = await second.getAttribute('data-dataset');
  const bars = statistics.locator(`rect.tsfx-stats-bar[data-dataset="${name}"]`);
  assert.ok((await bars.count()) > 0);
  await second.click();
  assert.equal(await second.getAttribute('aria-pressed'), 'false');
  assert.equal(await bars.count(), 0, `${name} hidden`);
  await second.click();
  assert.ok((await bars.count()) > 0, `${name} shown again`);
  await statistics.locator('input.tsfx-stats-percent').check();
  assert.match((await statistics.locator('.tsfx-stats-ymax').first().textContent()) ?? '', /%$/);
  const fare = statistics.locator('tbody.tsfx-stats-feature[data-feature="fare"]');
  await fare.locator('button[data-toggle="quantiles"]').click();
  assert.equal(await fare.locator('svg').getAttribute('data-chart'), 'quantiles');
  await fare.locator('button[data-toggle="quantiles"]').click();
  await statistics.locator('input.tsfx-stats-percent').uncheck();
  // Facets' filters: a regular-expression search, a checkbox per feature type.
  await statistics.locator('input.tsfx-stats-regex').check();
  await statistics.locator('input.tsfx-stats-search').fill('^(pickup|dropoff)_l');
  assert.deepEqual(await order(), [
    'pickup_latitude',
    'pickup_longitude',
    'dropoff_latitude',
    'dropoff_longitude',
  ]);
  await statistics.locator('input.tsfx-stats-search').fill('');
  await statistics.locator('input.tsfx-stats-regex').uncheck();
  await statistics.locator('input.tsfx-stats-type[data-type="STRING"]').uncheck();
  assert.equal(await features.count(), 15, 'the STRING features hidden');
  await statistics.locator('input.tsfx-stats-type[data-type="STRING"]').check();
  assert.equal(await features.count(), 18);
}

/** Schema: one row per feature; the folded company domain unfolds on a click. */
async function checkSchema(): Promise<void> {
  const schema = page.locator('.jp-Notebook .tsfx-schema').first();
  assert.equal(await schema.locator('tbody tr[data-feature]').count(), 18);
  const domain = schema.locator('tr[data-feature="company"] details.tsfx-domain-values');
  assert.equal(await domain.count(), 1, 'the company domain is folded');
  const summary = (await domain.locator('summary').textContent()) ?? '';
  const values = Number(/^(\d+) values/.exec(summary)?.[1]);
  assert.ok(values > 8, `a long domain: ${summary}`);
  const chips = domain.locator('.tsfx-domain-value');
  assert.equal(await chips.first().isVisible(), false, 'folded');
  await domain.locator('summary').click();
  assert.equal(await domain.evaluate((d) => (d as HTMLDetailsElement).open), true);
  assert.equal(await chips.first().isVisible(), true, 'unfolded');
  assert.equal(await chips.count(), values);
}

/**
 * Anomalies: a section per split, titled with its count, listing its anomalies (feature, reason
 * and severity) or saying there are none; the view has no control, so its content is checked.
 */
async function checkAnomalies(): Promise<void> {
  const anomalies = page.locator('.jp-Notebook .tsfx-anomalies').first();
  const sections = anomalies.locator('section.tsfx-anomalies-split');
  assert.deepEqual(
    await sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-split'))),
    ['train', 'eval'],
  );
  for (let i = 0; i < 2; i++) {
    const section = sections.nth(i);
    const rows = await section.locator('tr.tsfx-anomaly').count();
    const none = await section.locator('.tsfx-anomalies-none').count();
    assert.ok(rows > 0 !== none > 0, 'anomalies are listed or "No anomalies found" is said');
    assert.equal(
      await section.locator('.tsfx-anomalies-count').textContent(),
      rows === 0 ? 'no anomalies' : `${rows} anomal${rows === 1 ? 'y' : 'ies'}`,
    );
    assert.equal(await section.locator('td.tsfx-severity').count(), rows);
  }
}

/** Training: a chart per metric; hovering the loss chart shows a tooltip row per run. */
async function checkTraining(): Promise<void> {
  const training = page.locator('.jp-Notebook .tsfx-training').first();
  assert.equal(await training.getAttribute('data-status'), 'done');
  const runs = await training
    .locator('button.tsfx-training-run')
    .evaluateAll((all) => all.map((b) => b.getAttribute('data-run')));
  assert.deepEqual(runs, ['train', 'train_epoch', 'validation']);
  const loss = training.locator('figure[data-tag="loss"]');
  const tooltip = loss.locator('.tsfx-training-tooltip');
  assert.equal(await tooltip.isVisible(), false);
  await loss.locator('.tsfx-training-overlay').hover();
  await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await loss.locator('.tsfx-training-rule').getAttribute('visibility'), 'visible');
  assert.deepEqual(
    await tooltip
      .locator('.tsfx-training-tooltip-run')
      .evaluateAll((all) => all.map((r) => r.textContent)),
    runs,
  );
  await page.mouse.move(0, 0);
  await tooltip.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Model: Keras' summary of the taxi model; a click on a layer shows its weights. */
async function checkModel(): Promise<void> {
  const model = page.locator('.jp-Notebook .tsfx-model').first();
  const layers = model.locator('table.tsfx-model-layers tbody tr');
  assert.ok((await layers.count()) >= 5);
  assert.match(
    (await model.locator('.tsfx-model-total').first().textContent()) ?? '',
    /^Total params: [\d,]+ \(/,
  );
  assert.ok((await model.locator('table.tsfx-model-inputs tbody tr').count()) >= 1);
  await model.locator('tr[data-layer="deep_0"] .tsfx-model-layer-name').click();
  await model.locator('.tsfx-model-details[data-layer="deep_0"]').waitFor({ timeout: 10_000 });
  assert.equal(await model.locator('.tsfx-model-details tbody tr').count(), 2, 'kernel and bias');
}

/** Transform graph: its nodes; the checkbox keeps only the analyzed ones. */
async function checkTransformGraph(): Promise<void> {
  const graph = page.locator('.jp-Notebook .tsfx-transformGraph').first();
  const rows = graph.locator('table.tsfx-tg-nodes tbody tr');
  const all = await rows.count();
  await graph.locator('input.tsfx-tg-analyzers-only').check();
  const analyzed = await rows.count();
  assert.ok(analyzed > 0 && analyzed < all, `${analyzed} of ${all} nodes analyzed`);
  await graph.locator('input.tsfx-tg-analyzers-only').uncheck();
  assert.equal(await rows.count(), all);
}

/** The output widths every view is checked and photographed at (issue 14). */
const OUTPUT_WIDTHS = [960, 480] as const;

/** Statistics at this width: no sideways scroll, every feature name wholly visible. */
async function statisticsOverflow(): Promise<{ overflow: string[]; hidden: string[] }> {
  return page
    .locator('.jp-Notebook .tsfx-statistics')
    .first()
    .evaluate((view) => {
      const overflow: string[] = [];
      const hidden: string[] = [];
      if (view.scrollWidth > view.clientWidth + 1) overflow.push(`view ${view.scrollWidth}`);
      for (const scroll of view.querySelectorAll<HTMLElement>('.tsfx-stats-scroll')) {
        if (scroll.scrollWidth > scroll.clientWidth + 1)
          overflow.push(`table ${scroll.scrollWidth} > ${scroll.clientWidth}`);
        const box = scroll.getBoundingClientRect();
        for (const name of scroll.querySelectorAll('.tsfx-stats-feature-name')) {
          const r = name.getBoundingClientRect();
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.width === 0)
            hidden.push(name.textContent ?? '');
        }
      }
      return { overflow, hidden };
    });
}

/** The smallest lineage node label, in screen pixels. */
async function smallestLineageLabel(): Promise<number> {
  return page
    .locator('.jp-Notebook .tsfx-lineage')
    .first()
    .evaluate((view) => {
      const sizes = [...view.querySelectorAll<SVGTextElement>('.tsfx-node-label')].map(
        (t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0),
      );
      return Math.min(...sizes);
    });
}

/** Artifact URIs whose last segments are cut or off the view. */
async function cutUris(): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const code of document.querySelectorAll<HTMLElement>('.jp-Notebook .tsfx-artifact-uri')) {
      const view = code.closest('.tsfx-view')!.getBoundingClientRect();
      const tail = code.querySelector('.tsfx-uri-tail')!;
      const r = tail.getBoundingClientRect();
      const uri = code.title;
      const last = uri.split('/').slice(-2).join('/');
      if (!(tail.textContent ?? '').endsWith(last) || r.right > view.right + 1 || r.width === 0)
        cut.push(uri);
    }
    return cut;
  });
}

/** At each width: screenshots of every view, statistics fits, lineage labels and URIs read. */
async function checkWidths(theme: 'light' | 'dark'): Promise<void> {
  for (const width of OUTPUT_WIDTHS) {
    await setOutputWidth(page, width);
    for (const kind of TSFX_KINDS) {
      const view = page.locator(`.jp-Notebook .tsfx-${kind}`).first();
      if ((await view.count()) === 0) continue;
      await screenshotView(page, view, join(OUTPUT_DIR, `lab-tsfx-${kind}-${theme}-${width}.png`));
    }
    assert.deepEqual(await statisticsOverflow(), { overflow: [], hidden: [] }, `${theme} ${width}`);
    const label = await smallestLineageLabel();
    assert.ok(label >= 11 - 0.01, `lineage labels at ${label.toFixed(2)} px (${width} px)`);
    assert.deepEqual(await cutUris(), [], `URIs keep their last segments at ${width} px`);
  }
  await setOutputWidth(page, null);
}

test(
  'at 960 px and 480 px (light): statistics fits, lineage labels and URIs read',
  { timeout: 120_000 },
  async () => {
    assert.ok(reports, 'the notebook ran');
    await checkWidths('light');
  },
);

test('the tsfx views follow the dark theme', { timeout: 60_000 }, async () => {
  const colours = () =>
    page.evaluate(() => {
      const view = document.querySelector('.jp-Notebook .tsfx-view');
      if (!view) return null;
      const style = getComputedStyle(view);
      return { background: style.backgroundColor, color: style.color };
    });
  const light = await colours();
  assert.ok(light, 'a tsfx view is drawn');
  await page.evaluate(async () => {
    const app = (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
      }
    ).jupyterapp;
    await app.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
  });
  await page.waitForFunction(() => document.body.dataset.jpThemeLight === 'false', undefined, {
    timeout: 30_000,
  });
  await page.waitForFunction(
    (before) => {
      const view = document.querySelector('.jp-Notebook .tsfx-view');
      return !!view && getComputedStyle(view).backgroundColor !== before;
    },
    light.background,
    { timeout: 30_000 },
  );
  const dark = await colours();
  assert.ok(dark);
  assert.notEqual(dark.background, light.background);
  assert.notEqual(dark.color, light.color);
  for (const kind of TSFX_KINDS) {
    const view = page.locator(`.jp-Notebook .tsfx-${kind}`).first();
    if ((await view.count()) > 0)
      await view.screenshot({ path: join(OUTPUT_DIR, `lab-tsfx-${kind}-dark.png`) });
  }
});

test(
  'at 960 px and 480 px (dark): statistics fits, lineage labels and URIs read',
  { timeout: 120_000 },
  async () => {
    await checkWidths('dark');
  },
);

test('no console errors in the page', () => {
  assert.deepEqual(problems.consoleErrors, []);
});

test('the outputs are still there (no cell was cleared or re-run)', async () => {
  const now = await cellReports(page);
  assert.deepEqual(tsfxKindsIn(now), tsfxKindsIn(reports));
});
