/// <reference lib="dom" />
// The DAG panel in a real JupyterLab in Chromium, with a real scheduler behind Jupyter's proxy:
// open the panel, unpause and trigger the workshop's DAG `chicago_taxi` (notebooks/dags, its 9
// components on the repository's taxi sample), watch every node of its graph turn green
// (Airflow's success colour), open a task's log and one of its artifacts in the view a notebook
// shows; a request without Jupyter's token is refused. Screenshots of the panel go to test/output/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { TAXI_COMPONENTS, TSFX_BIN } from '../helpers';
import { startScheduler, world } from '../kernel-lib/scheduler/harness';
import {
  closeLabSession,
  openLabSession,
  OUTPUT_DIR,
  REPO_ROOT,
  type LabSession,
  type PageProblems,
} from './lab-helpers';

const TAXI_TASKS = TAXI_COMPONENTS;
let session: LabSession | undefined;
let page: Page;
let problems: PageProblems;
const scratch: string[] = [];

// At the top level: its clean-up (scheduler stopped, folders removed) then runs at the end.
const w = world({}, []);

before(
  async () => {
    // The DAG files as the repository has them, in a copy of its layout inside the world's dags
    // folder (notebooks/dags, data -> the repository's data): taxi_pipeline.ts finds its data
    // two folders up, and writes its artifacts and pushed models there (.tsfx/), not into the
    // repository's own .tsfx/.
    const dags = join(w.dagsFolder, 'notebooks', 'dags');
    mkdirSync(dags, { recursive: true });
    for (const file of ['taxi_pipeline.ts', 'taxi_utils.ts'])
      copyFileSync(join(REPO_ROOT, 'notebooks', 'dags', file), join(dags, file));
    symlinkSync(join(REPO_ROOT, 'data'), join(w.dagsFolder, 'data'));
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
  'the panel lists the DAGs, unpauses and triggers chicago_taxi and shows every task turn green',
  { timeout: 600_000 },
  async () => {
    await page.locator('.lm-TabBar-tab[data-id="tsfx-dags-panel"]').click();
    const row = page.locator('.tsfx-dag-list tr[data-dag-id="chicago_taxi"]');
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /chicago_taxi\s+Never, external triggers only\s+no runs/);
    assert.equal(await page.locator('.tsfx-dag-import-errors').count(), 0);
    // Paused when the scheduler first sees it (isPausedUponCreation), as the workshop's DAG.
    const toggle = row.locator('.tsfx-dag-pause-toggle');
    assert.equal(await toggle.isChecked(), false);
    await toggle.click();
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLInputElement>(
          '.tsfx-dag-list tr[data-dag-id="chicago_taxi"] .tsfx-dag-pause-toggle',
        )?.title === 'Running: click to pause',
      undefined,
      { timeout: 30_000 },
    );

    await row.locator('.tsfx-dag-link').click();
    await page.locator('.tsfx-dag-node').first().waitFor();
    assert.deepEqual(
      await nodeStates(),
      Object.fromEntries(TAXI_TASKS.map((t) => [t, 'none/lightgrey'])),
    );
    await page.locator('.tsfx-dag-trigger').click();

    // Poll as a person watches: every state change of the graph, until all are green. A full
    // run takes ~25 s on an idle machine; the wait is generous for a loaded one.
    const seen: string[] = [];
    const deadline = Date.now() + 480_000;
    let states: Record<string, string> = {};
    for (;;) {
      states = await nodeStates();
      const line = JSON.stringify(states);
      if (seen.at(-1) !== line) seen.push(line);
      if (Object.values(states).every((s) => s === 'success/green')) break;
      assert.ok(Date.now() < deadline, `not all green in time: ${seen.join('\n')}`);
      assert.ok(!Object.values(states).some((s) => /^(failed|up_for_retry)/.test(s)), line);
      await page.waitForTimeout(250);
    }
    console.log(`[dags] graph states seen:\n${seen.join('\n')}`);
    assert.deepEqual(Object.keys(states).sort(), [...TAXI_TASKS].sort());
    assert.ok(seen.length >= 5, 'the graph changed while the run went on (live updates)');
    assert.equal(
      await page.locator('.tsfx-dag-grid .tsfx-dag-ti-cell[data-state="success"]').count(),
      TAXI_TASKS.length,
    );
    await page
      .locator('.tsfx-dag-run-line .tsfx-dag-state[data-state="success"]')
      .waitFor({ timeout: 30_000 });
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
      /State\s+success[\s\S]*Try\s+1 of 2[\s\S]*Cached\s+no/,
    );
    const log = task.locator('.tsfx-dag-log[data-try="1"]');
    await log.waitFor();
    assert.match(await log.innerText(), /SchemaGen/);

    // Wider, as one reads a DAG: drag the sidebar's edge (JupyterLab's split handle) to the right
    // until the whole graph shows (the README's screenshot, docs/dag-panel.png).
    const graph = page.locator('svg.tsfx-dag-graph');
    const graphWidth = Number(await graph.getAttribute('width'));
    const right = Math.ceil(graphWidth) + 120;
    await page.setViewportSize({ width: Math.max(1280, right + 300), height: 900 });
    const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first();
    const box = await handle.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(right, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    const host = (await page.locator('.tsfx-dag-graph-host').boundingBox())!;
    const drawn = (await graph.boundingBox())!;
    assert.ok(
      drawn.x >= host.x - 1 && drawn.x + drawn.width <= host.x + host.width + 1,
      `the whole graph shows: ${JSON.stringify({ drawn, host })}`,
    );
    await page.screenshot({
      path: join(OUTPUT_DIR, 'lab-dag-panel.png'),
      clip: { x: 0, y: 0, width: right + 40, height: 860 },
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
