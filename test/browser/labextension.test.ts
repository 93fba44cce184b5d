/// <reference lib="dom" />
// jupyterlab-tsfx as a prebuilt (federated) labextension, the form a pip-installed JupyterLab
// loads: the lab is started with build/labextensions on its extension path, so the page loads
// the federated jupyterlab-tsfx (which replaces the copy compiled into the app), a notebook
// that displays the fixture payloads is drawn by it, and its front-end plugin opens an
// artifact file, without console errors.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  closeLabSession,
  KERNEL_CONNECT_TIMEOUT_MS,
  openLabSession,
  openNotebook,
  REPO_ROOT,
  runAllCells,
  tempDir,
} from './lab-helpers';
import type { LabSession, PageProblems, RunningLab } from './lab-helpers';

const LABEXTENSIONS = join(REPO_ROOT, 'build', 'labextensions');
const FIXTURES = join(REPO_ROOT, 'test', 'extension', 'fixtures');
const STATS_DIR = 'StatisticsGen/statistics/3/Split-train';

let session: LabSession | undefined;
let lab: RunningLab;
let page: Page;
let problems: PageProblems;
const scratch: string[] = [];

function displayCell(kind: string): string {
  const payload = readFileSync(join(FIXTURES, `${kind}.json`), 'utf8');
  return `tslab.display.raw('application/vnd.tsfx.${kind}+json', ${payload.trim()} as unknown as string);`;
}

before(async () => {
  const dir = tempDir('tsfx-labext-nb-');
  scratch.push(dir);
  const cell = (source: string, i: number) => ({
    cell_type: 'code',
    id: `cell-${i}`,
    metadata: {},
    execution_count: null,
    outputs: [],
    source,
  });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: [`import * as tslab from 'tslab';`, displayCell('examples'), displayCell('lineage')].map(
      cell,
    ),
  };
  writeFileSync(join(dir, 'prebuilt.ipynb'), JSON.stringify(notebook));
  // One split's statistics file, as StatisticsGen writes it (the fixture's train dataset).
  const statistics = JSON.parse(readFileSync(join(FIXTURES, 'statistics.json'), 'utf8')) as {
    datasets: unknown[];
  };
  mkdirSync(join(dir, STATS_DIR), { recursive: true });
  writeFileSync(
    join(dir, STATS_DIR, 'FeatureStats.json'),
    JSON.stringify({ datasets: statistics.datasets.slice(0, 1) }),
  );
  session = await openLabSession(
    {
      notebookPath: join(dir, 'prebuilt.ipynb'),
      prefix: 'tsfx-labext',
      extraLabextensionsPath: [LABEXTENSIONS],
    },
    scratch,
  );
  ({ lab, page, problems } = session);
});

after(() => closeLabSession(session, scratch));

test('the prebuilt extension declares its federated entry points', () => {
  const pkg = JSON.parse(
    readFileSync(join(LABEXTENSIONS, 'jupyterlab-tsfx', 'package.json'), 'utf8'),
  ) as {
    name: string;
    jupyterlab: {
      _build?: { load: string; extension?: string; mimeExtension?: string; style?: string };
    };
  };
  assert.equal(pkg.name, 'jupyterlab-tsfx');
  assert.match(pkg.jupyterlab._build?.load ?? '', /^static\/remoteEntry\.[0-9a-f]+\.js$/);
  assert.equal(pkg.jupyterlab._build?.extension, './extension');
  assert.equal(pkg.jupyterlab._build?.mimeExtension, './mimeExtension');
  assert.equal(pkg.jupyterlab._build?.style, './style');
});

test(
  'the page loads jupyterlab-tsfx as a federated extension',
  { timeout: KERNEL_CONNECT_TIMEOUT_MS + 60_000 },
  async () => {
    await openNotebook(page, lab);
    const federated = await page.evaluate(() => {
      const el = document.getElementById('jupyter-config-data');
      const config = JSON.parse(el?.textContent ?? '{}') as {
        federated_extensions?: { name: string }[];
      };
      const containers =
        (window as unknown as { _JUPYTERLAB?: Record<string, unknown> })._JUPYTERLAB ?? {};
      return {
        listed: (config.federated_extensions ?? []).map((e) => e.name),
        loaded: Object.keys(containers).filter((k) => k !== 'CORE_LIBRARY_FEDERATION'),
      };
    });
    assert.deepEqual(federated, { listed: ['jupyterlab-tsfx'], loaded: ['jupyterlab-tsfx'] });
  },
);

test(
  'the federated renderers draw the examples and the lineage',
  { timeout: 180_000 },
  async () => {
    const reports = await runAllCells(page, 120_000);
    assert.deepEqual(
      reports.flatMap((c) =>
        c.outputs.filter((o) => o.type === 'error' || o.stream?.startsWith('stderr')),
      ),
      [],
    );
    await page.waitForSelector('.jp-OutputArea-output .tsfx-examples tbody tr');
    await page.waitForSelector('.jp-OutputArea-output .tsfx-lineage svg g.tsfx-node');
    // One node per node of the fixture (generated from a pipeline run: 7 at this writing).
    const lineage = JSON.parse(readFileSync(join(FIXTURES, 'lineage.json'), 'utf8')) as {
      nodes: unknown[];
    };
    assert.equal(await page.locator('.tsfx-lineage g.tsfx-node').count(), lineage.nodes.length);
    assert.equal(await page.locator('.tsfx-examples .tsfx-split').count(), 2);
    // The extension's stylesheet came with it: the view has the theme's border colour, not none.
    const border = await page
      .locator('.tsfx-examples')
      .evaluate((el) => getComputedStyle(el).borderTopStyle);
    assert.equal(border, 'solid');
    assert.deepEqual(problems.consoleErrors, []);
  },
);

test(
  'the federated plugin opens an artifact file in its tsfx view',
  { timeout: 120_000 },
  async () => {
    await page.evaluate(async (path) => {
      const app = (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
        }
      ).jupyterapp;
      await app.commands.execute('docmanager:open', { path });
    }, `${STATS_DIR}/FeatureStats.json`);
    const view = page.locator('.jp-MainAreaWidget .tsfx-file-view .tsfx-statistics');
    await view.waitFor({ timeout: 60_000 });
    assert.equal(
      await view.locator('button.tsfx-stats-dataset').getAttribute('data-dataset'),
      'train',
    );
    assert.equal(await view.locator('.tsfx-artifact-producer').textContent(), 'from StatisticsGen');
    assert.deepEqual(problems.consoleErrors, []);
  },
);
