/// <reference lib="dom" />
// The DAG panel in a real JupyterLab in Chromium, with a real scheduler behind Jupyter's proxy:
// open the panel, trigger a small taxi DAG, watch every node of its graph turn green (Airflow's
// success colour), open a task's log and one of its artifacts in the view a notebook shows; a
// request without Jupyter's token is refused. A screenshot of the panel goes to test/output/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { TAXI_CSV, TSFX_BIN } from '../helpers';
import { startScheduler, world } from '../kernel-lib/scheduler/harness';
import {
  closeLabSession,
  openLabSession,
  OUTPUT_DIR,
  REPO_ROOT,
  type LabSession,
  type PageProblems,
} from './lab-helpers';

const MINI_ROWS = 400;
let session: LabSession | undefined;
let page: Page;
let problems: PageProblems;
const scratch: string[] = [];

// At the top level: its clean-up (scheduler stopped, folders removed) then runs at the end.
const w = world(
  { 'mini_taxi.ts': readFileSync(join(__dirname, 'dags', 'mini_taxi.ts'), 'utf8') },
  [],
);

before(
  async () => {
    const data = join(w.dagsFolder, 'mini_taxi_data');
    mkdirSync(data);
    const lines = readFileSync(TAXI_CSV, 'utf8')
      .split('\n')
      .slice(0, MINI_ROWS + 1);
    writeFileSync(join(data, 'data.csv'), `${lines.join('\n')}\n`);
    copyFileSync(join(TAXI_CSV, '..', 'SOURCE.md'), join(data, 'SOURCE.md'));
    await startScheduler(w);
    // The lab's server extension runs the tsfx CLI with the world's store and dags folder.
    Object.assign(process.env, w.env, { TSFX_CLI: `${process.execPath} ${TSFX_BIN}` });
    mkdirSync(OUTPUT_DIR, { recursive: true });
    session = await openLabSession({ serverRoot: REPO_ROOT, prefix: 'tsfx-dags' }, scratch);
    ({ page, problems } = session);
    await page.goto(session.lab.url);
    await page.locator('#filebrowser').waitFor({ timeout: 120_000 });
  },
  { timeout: 240_000 },
);

after(() => closeLabSession(session, scratch));

/** The states of the graph's nodes, by task id. */
function nodeStates(): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll<SVGGElement>('.tsfx-dag-node')).map((g) => [
        g.dataset.taskId ?? '',
        `${g.dataset.state}/${g.querySelector('rect')?.getAttribute('stroke')}`,
      ]),
    ),
  );
}

test(
  'the panel lists the DAGs, triggers one and shows every task turn green',
  { timeout: 300_000 },
  async () => {
    await page.locator('.lm-TabBar-tab[data-id="tsfx-dags-panel"]').click();
    const row = page.locator('.tsfx-dag-list tr[data-dag-id="mini_taxi"]');
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /mini_taxi\s+Never, external triggers only\s+no runs/);
    assert.equal(await page.locator('.tsfx-dag-import-errors').count(), 0);

    await row.locator('.tsfx-dag-link').click();
    await page.locator('.tsfx-dag-node').first().waitFor();
    assert.deepEqual(await nodeStates(), {
      CsvExampleGen: 'none/lightgrey',
      StatisticsGen: 'none/lightgrey',
      SchemaGen: 'none/lightgrey',
      ExampleValidator: 'none/lightgrey',
    });
    await page.locator('.tsfx-dag-trigger').click();

    // Poll as a person watches: every state change of the graph, until all are green.
    const seen: string[] = [];
    const deadline = Date.now() + 180_000;
    let states: Record<string, string> = {};
    for (;;) {
      states = await nodeStates();
      const line = JSON.stringify(states);
      if (seen.at(-1) !== line) seen.push(line);
      if (Object.values(states).every((s) => s === 'success/green')) break;
      assert.ok(Date.now() < deadline, `not all green in time: ${seen.join('\n')}`);
      assert.ok(!Object.values(states).some((s) => s.startsWith('failed')), line);
      await page.waitForTimeout(200);
    }
    console.log(`[dags] graph states seen:\n${seen.join('\n')}`);
    assert.ok(seen.length >= 3, 'the graph changed while the run went on (live updates)');
    assert.equal(
      await page.locator('.tsfx-dag-grid .tsfx-dag-ti-cell[data-state="success"]').count(),
      4,
    );
    await page.locator('.tsfx-dag-run-line .tsfx-dag-state[data-state="success"]').waitFor();
  },
);

test(
  "a task's log and an artifact open in the view a notebook shows",
  { timeout: 120_000 },
  async () => {
    await page.locator('.tsfx-dag-node[data-task-id="SchemaGen"]').click();
    const task = page.locator('.tsfx-dag-task[data-task-id="SchemaGen"]');
    await task.waitFor();
    assert.match(
      await task.locator('.tsfx-dag-task-facts').innerText(),
      /State\s+success[\s\S]*Try\s+1 of 1[\s\S]*Cached\s+no/,
    );
    const log = task.locator('.tsfx-dag-log[data-try="1"]');
    await log.waitFor();
    assert.match(await log.innerText(), /SchemaGen/);

    // Wider, as one reads a DAG: drag the sidebar's edge (JupyterLab's split handle) to the right.
    const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first();
    const box = await handle.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(620, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await page.screenshot({
      path: join(OUTPUT_DIR, 'lab-dag-panel.png'),
      clip: { x: 0, y: 0, width: 660, height: 860 },
    });

    await task.locator('.tsfx-dag-artifact').first().click();
    const view = page.locator('.tsfx-dag-artifact-view[data-kind="schema"] .tsfx-schema');
    await view.waitFor({ timeout: 60_000 });
    const text = await view.innerText();
    for (const feature of ['fare', 'payment_type', 'trip_start_hour'])
      assert.match(text, new RegExp(feature));
    await page.screenshot({ path: join(OUTPUT_DIR, 'lab-dag-artifact.png') });
    assert.deepEqual(problems.consoleErrors, []);
  },
);

test('the API through Jupyter refuses a request without its token', async () => {
  const base = session!.lab.baseUrl;
  assert.equal((await fetch(`${base}/tsfx/api/dags`)).status, 403);
  const withToken = await fetch(`${base}/tsfx/api/dags`, {
    headers: { Authorization: `token ${session!.lab.token}` },
  });
  assert.equal(withToken.status, 200);
});
