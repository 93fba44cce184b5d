/// <reference lib="dom" />
// Helpers of the JupyterLab browser tests: start the project's lab (scripts/lab/start.mjs),
// drive Debian's Chromium with playwright-core, and read the notebook's state from the page
// (the app is exposed as window.jupyterapp by the launcher's page config).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MIME_TYPES } from '@tsfx/protocol';
import { chromium } from 'playwright-core';
import type { BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const OUTPUT_DIR = join(REPO_ROOT, 'test', 'output');
export const CHROMIUM = '/usr/bin/chromium';
export const TSFX_KINDS = [
  'examples',
  'statistics',
  'schema',
  'anomalies',
  'training',
  'evaluation',
  'lineage',
  'model',
  'transformGraph',
] as const;
export type TsfxKind = (typeof TSFX_KINDS)[number];
export const mimeOf = (kind: TsfxKind): string => MIME_TYPES[kind];

export interface StartLabOptions {
  root: string;
  port?: number;
  host?: string;
  token?: string;
  notebookPath?: string;
  log?: (message: string) => void;
  stateDir?: string;
  extraLabextensionsPath?: string[];
  serverRoot?: string;
  timeoutMs?: number;
}

export interface RunningLab {
  url: string;
  stop: () => Promise<void>;
  token: string;
  port: number;
  baseUrl: string;
  logFile: string;
}

interface StartModule {
  startLab(options: StartLabOptions): Promise<RunningLab>;
}

export async function startLab(options: StartLabOptions): Promise<RunningLab> {
  const url = pathToFileURL(join(REPO_ROOT, 'scripts', 'lab', 'start.mjs')).href;
  const mod = (await import(url)) as StartModule;
  return mod.startLab(options);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * User settings of a fresh lab state: never save the notebook under test (running it must not
 * modify the file). (Settings whose schema uses `const` cannot be set here: Debian's jsonschema
 * rejects them.)
 */
export function writeTestSettings(stateDir: string): void {
  const settings: Record<string, Record<string, unknown>> = {
    '@jupyterlab/docmanager-extension/plugin': { autosave: false },
  };
  for (const [id, value] of Object.entries(settings)) {
    const file = join(stateDir, 'user-settings', `${id}.jupyterlab-settings`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(value, null, 2));
  }
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless, with a fresh profile directory (never a downloaded browser). */
export async function launchChromium(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  // tsx (esbuild keepNames) wraps named functions in __name(); evaluate() ships those functions
  // to the page, so the page needs the helper too.
  await context.addInitScript('window.__name = (f) => f;');
  return context;
}

export interface PageProblems {
  consoleErrors: string[];
}

/**
 * Chromium logs this when the host's network interfaces change (another test's network
 * namespaces and veth pairs, on a shared machine): the machine's doing, not the page's.
 */
const HOST_NETWORK_CHANGED = /net::ERR_NETWORK_CHANGED/;

export function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !HOST_NETWORK_CHANGED.test(msg.text()))
      problems.consoleErrors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.consoleErrors.push(`page error: ${err.message}`));
  return problems;
}

export interface LabSession {
  lab: RunningLab;
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
}

/**
 * The lab started on `notebookPath` (or on `serverRoot` without a notebook) with a fresh state
 * folder (test settings written) and one page of a fresh headless Chromium, whose console errors
 * are watched. The temporary folders are added to `scratch` at once, so that closeLabSession
 * removes them even if starting fails.
 */
export async function openLabSession(
  options: {
    notebookPath?: string;
    serverRoot?: string;
    prefix: string;
    extraLabextensionsPath?: string[];
  },
  scratch: string[],
): Promise<LabSession> {
  const stateDir = tempDir(`${options.prefix}-state-`);
  const profile = tempDir(`${options.prefix}-chromium-`);
  scratch.push(stateDir, profile);
  writeTestSettings(stateDir);
  const lab = await startLab({
    root: REPO_ROOT,
    notebookPath: options.notebookPath,
    serverRoot: options.serverRoot,
    stateDir,
    extraLabextensionsPath: options.extraLabextensionsPath,
    log: (m) => console.log(`[lab] ${m}`),
  });
  let context: BrowserContext | undefined;
  try {
    context = await launchChromium(profile);
    const page = await context.newPage();
    return { lab, context, page, problems: watchProblems(page) };
  } catch (error) {
    await context?.close();
    await lab.stop();
    throw error;
  }
}

/** Closes the browser and stops the lab of a session (if it started), then removes `scratch`. */
export async function closeLabSession(
  session: LabSession | undefined,
  scratch: string[],
): Promise<void> {
  try {
    await session?.context.close();
    await session?.lab.stop();
  } finally {
    for (const dir of scratch) removeDir(dir);
  }
}

/** The parts of JupyterLab's objects the tests read in the page. */
interface PageOutputModel {
  type: string;
  data: Record<string, unknown>;
  toJSON(): { ename?: string; evalue?: string; name?: string; text?: string };
}
interface PageCellModel {
  type: string;
  executionCount?: number | null;
  executionState?: string;
  outputs?: { length: number; get(index: number): PageOutputModel };
}
interface PageNotebookPanel {
  context?: { path: string };
  content?: { widgets: readonly { model: PageCellModel }[] };
  sessionContext?: {
    session?: { kernel?: { name: string; status: string; connectionStatus: string } | null } | null;
  };
}
interface PageLab {
  shell: { currentWidget: PageNotebookPanel | null };
  commands: { execute(id: string, args?: Record<string, unknown>): Promise<unknown> };
}
type PageWindow = { jupyterapp?: PageLab };

export interface KernelState {
  path: string | null;
  cells: number;
  kernel: string | null;
  status: string | null;
  connection: string | null;
}

export async function kernelState(page: Page): Promise<KernelState> {
  return page.evaluate(() => {
    const app = (window as unknown as PageWindow).jupyterapp;
    const panel = app?.shell.currentWidget ?? null;
    const kernel = panel?.sessionContext?.session?.kernel ?? null;
    return {
      path: panel?.context?.path ?? null,
      cells: panel?.content?.widgets.length ?? 0,
      kernel: kernel?.name ?? null,
      status: kernel?.status ?? null,
      connection: kernel?.connectionStatus ?? null,
    };
  });
}

/** The last `chars` characters of the lab server's log, to explain a failure. */
export function serverLogTail(lab: RunningLab, chars = 6000): string {
  try {
    return readFileSync(lab.logFile, 'utf8').slice(-chars);
  } catch (error) {
    return `(no server log at ${lab.logFile}: ${String(error)})`;
  }
}

/** How long openNotebook waits for the kernel: a first tslab start on a busy machine can be slow. */
export const KERNEL_CONNECT_TIMEOUT_MS = 300_000;

/**
 * Opens the lab's URL and waits until the notebook is open and its kernel is connected and idle.
 * Each change of the kernel's state is logged with the time it took, and a failure carries the
 * page's warnings and the end of the server's log, so that a slow or failed start can be told
 * apart from a broken one.
 */
export async function openNotebook(
  page: Page,
  lab: RunningLab,
  timeoutMs = KERNEL_CONNECT_TIMEOUT_MS,
): Promise<KernelState> {
  const warnings: string[] = [];
  const onConsole = (msg: ConsoleMessage): void => {
    if (msg.type() === 'warning' || msg.type() === 'error') warnings.push(msg.text());
  };
  page.on('console', onConsole);
  try {
    const started = Date.now();
    await page.goto(lab.url);
    let state: KernelState | null = null;
    let seen = '';
    while (Date.now() - started < timeoutMs) {
      state = await kernelState(page).catch(() => null);
      const summary = state ? `${state.connection ?? '-'}/${state.status ?? '-'}` : 'no page';
      if (summary !== seen) {
        console.log(
          `[lab] kernel ${summary} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        seen = summary;
      }
      if (state && state.cells > 0 && state.connection === 'connected' && state.status === 'idle') {
        return state;
      }
      await page.waitForTimeout(250);
    }
    throw new Error(
      `the notebook's kernel did not connect within ${timeoutMs} ms: ${JSON.stringify(state)}\n` +
        `page warnings:\n${warnings.slice(-20).join('\n')}\n` +
        `lab server log (end):\n${serverLogTail(lab)}`,
    );
  } finally {
    page.off('console', onConsole);
  }
}

export interface CellReport {
  index: number;
  type: string;
  executionCount: number | null;
  outputs: { type: string; mimeTypes: string[]; error?: string; stream?: string }[];
}

export async function cellReports(page: Page): Promise<CellReport[]> {
  return page.evaluate(() => {
    const app = (window as unknown as PageWindow).jupyterapp;
    const cells = app?.shell.currentWidget?.content?.widgets ?? [];
    return cells.map((cell, index) => {
      const m = cell.model;
      const outputs = [];
      for (let i = 0; i < (m.outputs?.length ?? 0); i++) {
        const o = m.outputs!.get(i);
        const json = o.toJSON();
        outputs.push({
          type: o.type,
          mimeTypes: Object.keys(o.data ?? {}),
          error: o.type === 'error' ? `${json.ename}: ${json.evalue}` : undefined,
          stream:
            o.type === 'stream' ? `${json.name}: ${String(json.text).slice(0, 500)}` : undefined,
        });
      }
      return { index, type: m.type, executionCount: m.executionCount ?? null, outputs };
    });
  });
}

/** Runs every cell (notebook:run-all-cells) and waits until all code cells ran and the kernel is idle. */
export async function runAllCells(page: Page, timeoutMs: number): Promise<CellReport[]> {
  await page.evaluate(() => {
    const app = (window as unknown as PageWindow).jupyterapp;
    // Not awaited: the command resolves when the run ends, which may outlast evaluate's timeout.
    void app?.commands.execute('notebook:run-all-cells');
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await page.evaluate(() => {
      const panel = (window as unknown as PageWindow).jupyterapp?.shell.currentWidget;
      const cells = panel?.content?.widgets ?? [];
      const kernel = panel?.sessionContext?.session?.kernel;
      const code = cells.filter((c) => c.model.type === 'code');
      const ran = code.every(
        (c) => c.model.executionCount != null && (c.model.executionState ?? 'idle') === 'idle',
      );
      return ran && kernel?.status === 'idle';
    });
    if (done) break;
    if (Date.now() > deadline) {
      const reports = await cellReports(page);
      throw new Error(
        `cells still running after ${timeoutMs} ms: ${JSON.stringify(reports.filter((c) => c.type === 'code' && c.executionCount == null).map((c) => c.index))}`,
      );
    }
    await page.waitForTimeout(500);
  }
  return cellReports(page);
}

export interface RenderMeasure {
  kind: string;
  ms: number;
}

/** The renderers' draw times: performance measures `tsfx-render:<kind>` (see extension/src/widget.ts). */
export async function renderMeasures(page: Page): Promise<RenderMeasure[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('measure')
      .filter((m) => m.name.startsWith('tsfx-render:'))
      .map((m) => ({ kind: m.name.slice('tsfx-render:'.length), ms: m.duration })),
  );
}

export function summariseTimes(
  measures: RenderMeasure[],
): Record<string, { count: number; ms: number[]; maxMs: number; meanMs: number }> {
  const out: Record<string, { count: number; ms: number[]; maxMs: number; meanMs: number }> = {};
  for (const { kind, ms } of measures) {
    const entry = (out[kind] ??= { count: 0, ms: [], maxMs: 0, meanMs: 0 });
    entry.count += 1;
    entry.ms.push(Math.round(ms * 100) / 100);
    entry.maxMs = Math.max(entry.maxMs, Math.round(ms * 100) / 100);
  }
  for (const entry of Object.values(out)) {
    entry.meanMs = Math.round((entry.ms.reduce((a, b) => a + b, 0) / entry.count) * 100) / 100;
  }
  return out;
}

/**
 * A screenshot of the whole of a view taller than the page: the page is made tall enough for the
 * notebook to paint all of it (a view past the notebook panel's edge comes out blank), then given
 * its height back.
 */
export async function screenshotView(page: Page, view: Locator, path: string): Promise<void> {
  const size = page.viewportSize();
  const box = await view.boundingBox();
  const height = Math.min(12_000, Math.ceil((box?.height ?? 0) + 300));
  const taller = size !== null && height > size.height;
  if (taller) await page.setViewportSize({ width: size.width, height });
  await view.scrollIntoViewIfNeeded();
  await view.screenshot({ path });
  if (taller) await page.setViewportSize(size);
}

/** A tslab notebook of the given cells, as nbformat 4.5 JSON (what the browser tests open). */
export function tslabNotebook(cells: readonly object[]): object {
  return {
    cells,
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Gives every notebook output `width` px (the page made wide enough), or its own width back. */
export async function setOutputWidth(page: Page, width: number | null): Promise<void> {
  await page.setViewportSize({ width: width === null ? 1400 : 1700, height: 1000 });
  await page.evaluate((w) => {
    let style = document.getElementById('tsfx-test-width');
    if (!style) {
      style = document.createElement('style');
      style.id = 'tsfx-test-width';
      document.head.append(style);
    }
    style.textContent =
      w === null
        ? ''
        : `.jp-OutputArea-output { flex: none !important; width: ${w}px !important; max-width: ${w}px !important; }`;
  }, width);
  // The views refit on their ResizeObserver callbacks.
  await page.waitForTimeout(500);
}
