/// <reference lib="dom" />
// The model analysis views in the project's JupyterLab, in headless Chromium: a notebook whose
// saved outputs are the taxi run's evaluation, evaluation history, blessing and pushed-model
// payloads (test/extension/fixtures/, from the kernel) opens, and jupyterlab-tsfx draws each of
// them, without an error box or console error, in the light and the dark theme; the threshold
// slider works in the page. Screenshots and draw times go to test/output/ (the README's
// screenshot of the evaluation view is lab-tsfx-evaluation-light.png).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { MIME_TYPES } from '@tsfx/protocol';
import {
  closeLabSession,
  openLabSession,
  OUTPUT_DIR,
  renderMeasures,
  REPO_ROOT,
  summariseTimes,
  tempDir,
  tslabNotebook,
} from './lab-helpers';
import type { LabSession, PageProblems } from './lab-helpers';

const KINDS = ['evaluation', 'evaluation-history', 'blessing', 'pushed-model'] as const;
/** The cells' kinds: the evaluation twice, so that a warm draw is measured too. */
const CELLS = [...KINDS, 'evaluation'] as const;
const FIXTURES = join(REPO_ROOT, 'test', 'extension', 'fixtures');

let session: LabSession | undefined;
let page: Page;
let problems: PageProblems;
const scratch: string[] = [];

/** A notebook of one code cell per kind, its saved output the kind's payload. */
function notebook(): object {
  const cells = CELLS.map((kind, i) => ({
    cell_type: 'code',
    execution_count: i + 1,
    id: `cell-${i}-${kind}`,
    metadata: {},
    source: [`// show(${kind})`],
    outputs: [
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          [MIME_TYPES[kind]]: JSON.parse(
            readFileSync(join(FIXTURES, `${kind}.json`), 'utf8'),
          ) as unknown,
          'text/plain': [`${kind} view`],
        },
      },
    ],
  }));
  return tslabNotebook(cells);
}

before(
  async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const folder = tempDir('tsfx-evaluation-root-');
    scratch.push(folder);
    const path = join(folder, 'evaluation.ipynb');
    writeFileSync(path, JSON.stringify(notebook()));
    session = await openLabSession({ notebookPath: path, prefix: 'tsfx-evaluation' }, scratch);
    ({ page, problems } = session);
    await page.goto(session.lab.url);
  },
  { timeout: 240_000 },
);

after(() => closeLabSession(session, scratch));

test(
  'the saved evaluation, history, blessing and pushed-model outputs are drawn by jupyterlab-tsfx',
  { timeout: 180_000 },
  async () => {
    for (const kind of KINDS) {
      await page.waitForSelector(`.jp-Notebook .jp-OutputArea-output .tsfx-${kind}`, {
        timeout: 120_000,
      });
    }
    assert.equal(await page.locator('.jp-Notebook .tsfx-error').count(), 0, 'tsfx renderer errors');
    const evaluation = page.locator('.jp-Notebook .tsfx-evaluation').first();
    assert.ok((await evaluation.locator('.tsfx-eval-table tbody tr').count()) > 10);
    // The plots are drawn when they come near the viewport.
    await evaluation.locator('.tsfx-eval-plots-holder').scrollIntoViewIfNeeded();
    await evaluation.locator('[data-chart="roc"]').waitFor({ timeout: 10_000 });
    assert.ok((await evaluation.locator('[data-chart="roc"] path.tsfx-eval-curve').count()) >= 1);
    // The threshold slider redraws the confusion matrix in the page.
    const tp = evaluation.locator('.tsfx-eval-confusion').first().locator('.tsfx-eval-cm-tp');
    const before = await tp.textContent();
    await evaluation.locator('[data-control="threshold"]').fill('90');
    await page.waitForFunction(
      (old) => document.querySelector('.tsfx-evaluation .tsfx-eval-cm-tp')?.textContent !== old,
      before,
      { timeout: 10_000 },
    );
    await evaluation.locator('[data-control="threshold"]').fill('50');
    await screenshotEvaluation('light');
    for (const kind of KINDS) {
      await page
        .locator(`.jp-Notebook .tsfx-${kind}`)
        .first()
        .screenshot({ path: join(OUTPUT_DIR, `lab-tsfx-${kind}-light.png`) });
    }
    const times = summariseTimes(await renderMeasures(page));
    writeFileSync(
      join(OUTPUT_DIR, 'evaluation-render-times.json'),
      `${JSON.stringify(times, null, 2)}\n`,
    );
    for (const kind of KINDS) {
      assert.ok(times[kind], `a draw time of ${kind}`);
      console.log(
        `[evaluation] ${kind}: drawn ${times[kind].count}×, ${times[kind].ms.join(', ')} ms`,
      );
    }
  },
);

/**
 * The evaluation view's top (verdict, controls, bars, the first rows) and its plots, as two
 * pictures of a tall page (the README shows the first).
 */
async function screenshotEvaluation(theme: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 1400 });
  const view = page.locator('.jp-Notebook .tsfx-evaluation').first();
  await view.scrollIntoViewIfNeeded();
  await view.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = await view.boundingBox();
  assert.ok(box);
  await page.screenshot({
    path: join(OUTPUT_DIR, `lab-evaluation-${theme}.png`),
    clip: { x: box.x, y: Math.max(0, box.y), width: box.width, height: Math.min(box.height, 1000) },
  });
  await view.locator('.tsfx-eval-plots').scrollIntoViewIfNeeded();
  await view
    .locator('.tsfx-eval-plots')
    .screenshot({ path: join(OUTPUT_DIR, `lab-evaluation-plots-${theme}.png`) });
}

test('the views follow the dark theme', { timeout: 60_000 }, async () => {
  const colour = () =>
    page.evaluate(() => {
      const view = document.querySelector('.jp-Notebook .tsfx-evaluation');
      return view ? getComputedStyle(view).backgroundColor : null;
    });
  const light = await colour();
  assert.ok(light);
  await page.evaluate(async () => {
    const app = (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
      }
    ).jupyterapp;
    await app.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
  });
  await page.waitForFunction(
    (before) => {
      const view = document.querySelector('.jp-Notebook .tsfx-evaluation');
      return !!view && getComputedStyle(view).backgroundColor !== before;
    },
    light,
    { timeout: 30_000 },
  );
  // Pass and fail keep distinct colours in the dark theme.
  const colours = await page.evaluate(() => {
    const of = (sel: string) => {
      const el = document.querySelector(sel);
      return el ? getComputedStyle(el).color : null;
    };
    return {
      pass: of('.tsfx-evaluation .tsfx-eval-value.tsfx-eval-pass'),
      fail: of(
        '.tsfx-evaluation .tsfx-eval-value.tsfx-eval-fail, .tsfx-evaluation .tsfx-eval-diff.tsfx-eval-fail',
      ),
    };
  });
  if (colours.pass && colours.fail) assert.notEqual(colours.pass, colours.fail);
  await screenshotEvaluation('dark');
  for (const kind of KINDS) {
    await page
      .locator(`.jp-Notebook .tsfx-${kind}`)
      .first()
      .screenshot({ path: join(OUTPUT_DIR, `lab-tsfx-${kind}-dark.png`) });
  }
});

test('no console errors in the page', () => {
  assert.deepEqual(problems.consoleErrors, []);
});
