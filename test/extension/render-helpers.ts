/// <reference lib="dom" />
// Renders jupyterlab-tsfx renderers in jsdom and compares the markup with golden files
// (test/extension/golden/), with generated ids normalised (../golden.ts: a mismatch leaves
// `<name>-changed.<ext>` beside the golden; UPDATE_GOLDEN=1 rewrites them, never under CI).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { JSDOM } from 'jsdom';
import { assertGoldenFile } from '../golden';

export const FIXTURES = resolve(__dirname, 'fixtures');
export const GOLDEN = resolve(__dirname, 'golden');

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;
}

export function newDocument(): { window: Window; document: Document } {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  return { window: dom.window as unknown as Window, document: dom.window.document };
}

/** Renumbers generated ids (`tsfx-<name>-<n>`) in order of first appearance, like Plot's tests. */
export function normaliseIds(markup: string): string {
  const seen = new Map<string, string>();
  return markup.replace(/tsfx-([a-z-]+?)-(\d+)(?=["#)\s])/g, (match: string, name: string) => {
    let id = seen.get(match);
    if (!id) {
      id = `tsfx-${name}-${seen.size + 1}`;
      seen.set(match, id);
    }
    return id;
  });
}

/** One element per line, so that golden diffs are readable. */
export function formatMarkup(markup: string): string {
  return markup.replace(/></g, '>\n<').trim() + '\n';
}

export function assertGolden(name: string, markup: string): void {
  assertGoldenFile(join(GOLDEN, name), formatMarkup(normaliseIds(markup)));
}

/** The mime model JupyterLab hands a renderer: one untrusted bundle holding `data` as `mimeType`. */
export function mimeModel(mimeType: string, data: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [mimeType]: data } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData: () => undefined,
  };
}

/**
 * Renders `data` as `mimeType` with `renderer` and returns what it reported on console.error
 * (one argument list per call), keeping those reports off the test output.
 */
export async function renderLoggingErrors(
  renderer: Pick<IRenderMime.IRenderer, 'renderModel'>,
  mimeType: string,
  data: unknown,
): Promise<unknown[][]> {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    logged.push(args);
  };
  try {
    await renderer.renderModel(mimeModel(mimeType, data));
  } finally {
    console.error = original;
  }
  return logged;
}
