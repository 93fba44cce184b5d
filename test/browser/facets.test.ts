/// <reference lib="dom" />
// Facets Overview / TFDV / Examples controls in the project's JupyterLab, in headless Chromium.
// A folder holds a real Examples artifact (CsvExampleGen on the taxi sample) and its statistics;
// a notebook's saved outputs are TFDV's visualize_statistics of eval ("new data") against train
// ("baseline") and the examples view. Each new control is used once: the drift line, raw data,
// a click on a bar, the value list lengths; the examples pager, a header sort and the filter,
// whose pages the Jupyter server reads from the Parquet files (/tsfx/examples/rows → tsfx rows).
// The taxi sample's `trip_start_timestamp` is renamed `trip_start` here, a name that does not say
// it holds times: only the schema's time domain (TFDV's time_domain) makes both views show dates.
// Facets' "expand charts" draws each chart larger with real axes, whose texts must not overlap.
// At 960 and 480 px, in the light and the dark theme: neither view scrolls sideways, feature and
// column names read whole; screenshots go to test/output/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { MIME_TYPES, schemaTimeFormats, SchemaSchema } from '@tsfx/protocol';
import * as v from 'valibot';
import { CsvExampleGen } from '../../kernel-lib/src/components/CsvExampleGen';
import { StatisticsGen } from '../../kernel-lib/src/components/StatisticsGen';
import { statisticsPayload } from '../../kernel-lib/src/display/dataPayloads';
import { examplesPayload } from '../../kernel-lib/src/display/examplesView';
import { InteractiveContext } from '../../kernel-lib/src/interactive/InteractiveContext';
import { TAXI_CSV, TSFX_BIN } from '../helpers';
import {
  closeLabSession,
  openLabSession,
  OUTPUT_DIR,
  renderMeasures,
  screenshotView,
  summariseTimes,
  tempDir,
  tslabNotebook,
  setOutputWidth,
} from './lab-helpers';
import type { LabSession, PageProblems } from './lab-helpers';

let session: LabSession | undefined;
let page: Page;
let problems: PageProblems;
const scratch: string[] = [];

/** The taxi sample with `trip_start_timestamp` renamed `trip_start`, and its notice, in `folder`. */
function renamedTaxi(folder: string): string {
  const data = join(folder, 'taxi');
  mkdirSync(data);
  const csv = readFileSync(TAXI_CSV, 'utf8');
  const newline = csv.indexOf('\n');
  const header = csv.slice(0, newline).replace('trip_start_timestamp', 'trip_start');
  writeFileSync(join(data, 'data.csv'), header + csv.slice(newline));
  copyFileSync(join(dirname(TAXI_CSV), 'SOURCE.md'), join(data, 'SOURCE.md'));
  return join(data, 'data.csv');
}

/** The schema's time domain of `trip_start`, read through the protocol as the views read it. */
const TIME_FORMATS = schemaTimeFormats(
  v.parse(SchemaSchema, {
    feature: [{ name: 'trip_start', type: 'INT', timeDomain: { integerFormat: 'UNIX_SECONDS' } }],
  }),
);

/** The taxi pipeline's first two components into `folder`, and the payloads of their outputs. */
async function payloads(folder: string): Promise<{ statistics: unknown; examples: unknown }> {
  const log = console.log;
  console.log = () => {}; // the components' progress lines
  const context = new InteractiveContext({ pipelineRoot: join(folder, 'pipeline') });
  try {
    const gen = new CsvExampleGen({ inputBase: renamedTaxi(folder) });
    const stats = new StatisticsGen({ examples: gen.outputs.examples });
    await context.run(gen);
    await context.run(stats);
    const examples = gen.outputs.examples.artifacts[0]!;
    const statistics = stats.outputs.statistics.artifacts[0]!;
    return {
      examples: await examplesPayload(examples, gen.id, { timeFormats: TIME_FORMATS }),
      statistics: statisticsPayload(
        [
          { artifact: statistics, producer: stats.id, split: 'eval', name: 'new data' },
          { artifact: statistics, producer: stats.id, split: 'train', name: 'baseline' },
        ],
        {},
        TIME_FORMATS,
      ),
    };
  } finally {
    context.close();
    console.log = log;
  }
}

function notebook(outputs: Record<'statistics' | 'examples', unknown>): object {
  const cells = (['statistics', 'examples'] as const).map((kind, i) => ({
    cell_type: 'code',
    execution_count: i + 1,
    id: `cell-${i}-${kind}`,
    metadata: {},
    source: [`// ${kind}`],
    outputs: [
      {
        output_type: 'display_data',
        metadata: {},
        data: { [MIME_TYPES[kind]]: outputs[kind], 'text/plain': [`${kind} view`] },
      },
    ],
  }));
  return tslabNotebook(cells);
}

before(
  async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const folder = tempDir('tsfx-facets-root-');
    scratch.push(folder);
    const path = join(folder, 'facets.ipynb');
    writeFileSync(path, JSON.stringify(notebook(await payloads(folder))));
    // The server's `tsfx rows` is this checkout's CLI.
    process.env['TSFX_CLI'] = `${process.execPath} ${TSFX_BIN}`;
    session = await openLabSession(
      { notebookPath: path, serverRoot: folder, prefix: 'tsfx-facets' },
      scratch,
    );
    ({ page, problems } = session);
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(session.lab.url, { timeout: 180_000 });
    for (const kind of ['statistics', 'examples'])
      await page.waitForSelector(`.jp-Notebook .jp-OutputArea-output .tsfx-${kind}`, {
        timeout: 120_000,
      });
  },
  { timeout: 300_000 },
);

after(() => closeLabSession(session, scratch));

const statistics = () => page.locator('.jp-Notebook .tsfx-statistics').first();
const examples = () => page.locator('.jp-Notebook .tsfx-examples').first();

test('statistics compared: named datasets, drift under each name', async () => {
  const view = statistics();
  assert.deepEqual(
    await view
      .locator('button.tsfx-stats-dataset')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-dataset'))),
    ['new data', 'baseline'],
  );
  const drift = view.locator('tbody[data-feature="payment_type"] .tsfx-stats-drift');
  assert.match((await drift.textContent()) ?? '', /^L∞ \d\.\d{3} · JS \d\.\d{3}$/);
  assert.equal(await drift.getAttribute('title'), 'drift new data vs baseline');
});

test('raw data, a click on a bar, value list lengths', async () => {
  const payment = statistics().locator('tbody[data-feature="payment_type"]');
  await payment.locator('button[data-toggle="raw"]').click();
  const first = payment.locator('.tsfx-stats-raw tbody tr').first();
  assert.equal(await first.locator('td').first().textContent(), 'Cash');
  await payment
    .locator('g.tsfx-stats-value[data-value-label="Cash"] rect.tsfx-stats-bar')
    .first()
    .click();
  assert.match(
    (await payment.locator('.tsfx-stats-selection').textContent()) ?? '',
    /^Cash: new data [\d,]+ \(\d+\.\d%\) · baseline [\d,]+ \(\d+\.\d%\)$/,
  );
  assert.equal(await payment.locator('.tsfx-stats-raw tr.tsfx-stats-selected').count(), 1);
  const fare = statistics().locator('tbody[data-feature="fare"]');
  await fare.locator('rect.tsfx-stats-hit[data-bucket="0"]').click({ position: { x: 2, y: 2 } });
  assert.match((await fare.locator('.tsfx-stats-selection').textContent()) ?? '', /^\[0, /);
  const company = statistics().locator('tbody[data-feature="company"]');
  await company.locator('button[data-toggle="lengths"]').click();
  assert.equal(await company.locator('svg').getAttribute('data-chart'), 'lengths');
});

test('examples: next page, a header sort and the filter read pages from the server', async () => {
  const view = examples();
  const caption = view.locator('.tsfx-examples-caption');
  assert.equal(await caption.textContent(), 'Rows 1–10 of 10,000 in "train"');
  await view.locator('.tsfx-examples-next').click();
  await page.waitForFunction(
    () =>
      document.querySelector('.tsfx-examples .tsfx-examples-caption')?.textContent ===
      'Rows 11–20 of 10,000 in "train"',
    undefined,
    { timeout: 30_000 },
  );
  assert.equal(await view.locator('tbody tr td.tsfx-rownum').first().textContent(), '10');
  await view.locator('button.tsfx-examples-sort[data-column="fare"]').click();
  await view.locator('th[aria-sort="ascending"] button[data-column="fare"]').waitFor({
    timeout: 30_000,
  });
  await view.locator('.tsfx-examples-filter-column').selectOption('payment_type');
  await view.locator('.tsfx-examples-filter').fill('no charge');
  await view.locator('.tsfx-examples-filter').press('Enter');
  await page.waitForFunction(
    () =>
      /matching in "train"$/.test(
        document.querySelector('.tsfx-examples .tsfx-examples-caption')?.textContent ?? '',
      ),
    undefined,
    { timeout: 30_000 },
  );
  const payments = await columnValues('payment_type');
  assert.ok(payments.length > 0 && payments.every((p) => p === 'No Charge'), `${payments}`);
  assert.equal(await view.locator('.tsfx-examples-status').textContent(), '');
});

/** The values of an examples column on the page, whichever block of columns it is in. */
async function columnValues(column: string): Promise<(string | null)[]> {
  return examples().evaluate((view, name) => {
    const out: (string | null)[] = [];
    for (const table of view.querySelectorAll('table.tsfx-examples-table')) {
      const heads = [...table.querySelectorAll('thead th')];
      const at = heads.findIndex((th) => th.querySelector(`[data-column="${name}"]`));
      if (at < 0) continue;
      for (const row of table.querySelectorAll('tbody tr'))
        out.push(row.children[at]?.textContent ?? null);
    }
    return out;
  }, column);
}

test("a schema's time domain shows an INT feature not named as one as dates", async () => {
  const start = statistics().locator('tbody[data-feature="trip_start"]');
  const min = start.locator('tr').first().locator('td[data-stat="5"]');
  await min.hover();
  // The eval split's earliest trip start; Python: datetime.fromtimestamp(1357007400, UTC).
  assert.equal(await min.textContent(), '1,357,007,400');
  assert.equal(await min.getAttribute('title'), '2013-01-01 02:30:00 UTC');
  const dates = await columnValues('trip_start');
  assert.ok(
    dates.length > 0 && dates.every((d) => /^20\d\d-\d\d-\d\d \d\d:\d\d:00 UTC$/.test(d ?? '')),
    `${dates}`,
  );
});

/**
 * The expanded charts' texts (tick labels, value labels, axis titles, legend names) not shown,
 * outside their chart, or overlapping another text of their chart.
 */
async function expandedTextProblems(): Promise<string[]> {
  return statistics().evaluate((view) => {
    const out: string[] = [];
    const selector =
      'text.tsfx-stats-tick, text.tsfx-stats-label, text.tsfx-stats-axis-title, text.tsfx-stats-key-name';
    for (const svg of view.querySelectorAll('svg[data-expanded]')) {
      const feature = svg.closest('tbody')?.getAttribute('data-feature');
      const texts = [...svg.querySelectorAll(selector)];
      const frame = svg.getBoundingClientRect();
      const boxes = texts.map((t) => t.getBoundingClientRect());
      boxes.forEach((b, i) => {
        const text = `${feature} "${texts[i]!.firstChild?.textContent}"`;
        if (b.width === 0 || b.height === 0) out.push(`${text} not shown`);
        if (b.left < frame.left - 1 || b.right > frame.right + 1) out.push(`${text} outside`);
        for (const [j, c] of boxes.slice(0, i).entries()) {
          if (b.left < c.right && c.left < b.right && b.top < c.bottom && c.top < b.bottom)
            out.push(`${text} overlaps "${texts[j]!.firstChild?.textContent}"`);
        }
      });
    }
    return out;
  });
}

test('expand charts: larger charts with tick labels apart, from the keyboard', async () => {
  const view = statistics();
  const fare = () => view.locator('tbody[data-feature="fare"] td.tsfx-stats-chart svg');
  const before = (await fare().boundingBox())!;
  const box = view.locator('input.tsfx-stats-expand');
  await box.focus();
  await page.keyboard.press('Space');
  assert.equal(await box.isChecked(), true);
  await fare().locator('text.tsfx-stats-tick').first().waitFor();
  await page.waitForTimeout(300); // the charts refit to the row's width
  const after = (await fare().boundingBox())!;
  assert.ok(after.width > before.width * 1.5, `width ${before.width} → ${after.width}`);
  assert.ok(after.height > before.height * 2, `height ${before.height} → ${after.height}`);
  const edges = await fare()
    .locator('g.tsfx-stats-xaxis text.tsfx-stats-tick')
    .evaluateAll((ts) => ts.map((t) => t.textContent));
  // fare's bucket edges across eval and train (the compared datasets): 0 to 700.07.
  assert.deepEqual([edges[0], edges[edges.length - 1]], ['0', '700.07']);
  const charts = await view.locator('svg[data-expanded]').count();
  assert.ok(charts >= 15, `${charts} expanded charts`);
  assert.equal(await view.locator('svg[data-expanded] .tsfx-stats-ytitle').count(), charts);
  assert.equal(await view.locator('svg[data-expanded] .tsfx-stats-xtitle').count(), charts);
  assert.deepEqual(await expandedTextProblems(), []);
  await box.press('Space');
  assert.equal(await view.locator('svg[data-expanded]').count(), 0);
});

/** Sideways overflow of the statistics view or its tables, and feature names not wholly shown. */
async function statisticsOverflow(): Promise<string[]> {
  return statistics().evaluate((view) => {
    const out: string[] = [];
    if (view.scrollWidth > view.clientWidth + 1) out.push(`view ${view.scrollWidth}`);
    for (const scroll of view.querySelectorAll<HTMLElement>('.tsfx-stats-scroll')) {
      if (scroll.scrollWidth > scroll.clientWidth + 1)
        out.push(`table ${scroll.scrollWidth} > ${scroll.clientWidth}`);
      const box = scroll.getBoundingClientRect();
      for (const name of scroll.querySelectorAll('.tsfx-stats-feature-name')) {
        const r = name.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.width === 0)
          out.push(`name ${name.textContent}`);
      }
    }
    return out;
  });
}

/**
 * Sideways overflow of the examples view or of its rows, and column names broken inside a word:
 * a name may wrap only after its underscores, so each of its parts lies on one line.
 */
async function examplesOverflow(): Promise<string[]> {
  return examples().evaluate((view) => {
    const out: string[] = [];
    if (view.scrollWidth > view.clientWidth + 1) out.push(`view ${view.scrollWidth}`);
    const sample = view.querySelector<HTMLElement>('.tsfx-examples-sample')!;
    if (sample.scrollWidth > sample.clientWidth + 1)
      out.push(`rows ${sample.scrollWidth} > ${sample.clientWidth}`);
    const range = document.createRange();
    for (const name of view.querySelectorAll('.tsfx-col-name')) {
      for (const part of name.childNodes) {
        if (part.nodeType !== Node.TEXT_NODE) continue;
        range.selectNodeContents(part);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size !== 1) out.push(`"${part.textContent}" of ${name.textContent} broken`);
      }
    }
    return out;
  });
}

async function screenshots(theme: 'light' | 'dark'): Promise<void> {
  for (const width of [960, 480] as const) {
    await setOutputWidth(page, width);
    for (const [kind, view] of [
      ['statistics-compare', statistics()],
      ['examples-paged', examples()],
    ] as const) {
      await screenshotView(page, view, join(OUTPUT_DIR, `lab-tsfx-${kind}-${theme}-${width}.png`));
    }
    assert.deepEqual(await statisticsOverflow(), [], `statistics ${theme} ${width}`);
    assert.deepEqual(await examplesOverflow(), [], `examples ${theme} ${width}`);
    // The same statistics with expanded charts.
    const expand = statistics().locator('input.tsfx-stats-expand');
    await expand.check();
    await page.waitForTimeout(300);
    await screenshotView(
      page,
      statistics(),
      join(OUTPUT_DIR, `lab-tsfx-statistics-expanded-${theme}-${width}.png`),
    );
    assert.deepEqual(await statisticsOverflow(), [], `statistics expanded ${theme} ${width}`);
    assert.deepEqual(await expandedTextProblems(), [], `expanded texts ${theme} ${width}`);
    await expand.uncheck();
  }
  await setOutputWidth(page, null);
}

test('screenshots at 960 and 480 px (light)', { timeout: 120_000 }, async () => {
  await screenshots('light');
});

test('screenshots at 960 and 480 px (dark)', { timeout: 120_000 }, async () => {
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
  await screenshots('dark');
});

test('draw times, and no console errors', async () => {
  // "expand charts" ticked: the click's redraw, and the time to the next frame (its refit).
  const expand = await statistics().evaluate(async (view) => {
    const box = view.querySelector<HTMLInputElement>('input.tsfx-stats-expand')!;
    const frame = (): Promise<void> =>
      new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const start = performance.now();
    box.click();
    const click = performance.now() - start;
    await frame();
    const next = performance.now() - start;
    box.click();
    return `${click.toFixed(1)} ms, ${next.toFixed(1)} ms to the next frame`;
  });
  console.log(`[facets] statistics "expand charts": ${expand}`);
  const times = summariseTimes(await renderMeasures(page));
  for (const kind of ['statistics', 'examples']) {
    assert.ok(times[kind], `a draw time of ${kind}`);
    console.log(`[facets] ${kind}: drawn ${times[kind].count}×, ${times[kind].ms.join(', ')} ms`);
  }
  assert.deepEqual(problems.consoleErrors, []);
});
