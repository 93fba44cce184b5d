// The evaluation view in headless Chromium without JupyterLab around it: the renderer and the
// protocol's payload check bundled by esbuild into a blank page, the taxi evaluation payload
// (test/extension/fixtures/evaluation.json) handed to it, and in turns, ROUNDS times: the payload
// check alone (the peer: the floor of any draw), then the whole draw as JupyterLab runs it (check
// and DOM, the `tsfx-render:evaluation` measure), then the time to the next frame after it (style,
// layout and paint of what was drawn). Prints the times (ms) as JSON; bench/render.ts tabulates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium, REPO_ROOT, removeDir, tempDir } from '../../test/browser/lab-helpers';

const ROUNDS = 12;

const ENTRY = `
import { parsePayload } from '@tsfx/protocol';
import { rendererFor, renderPayload } from './extension/src/registry';
const spec = rendererFor('evaluation');
(window as any).bench = {
  check: (data: unknown) => { const t = performance.now(); parsePayload('evaluation', data); return performance.now() - t; },
  draw: (data: unknown) => {
    const host = document.getElementById('host')!;
    const ms = renderPayload(spec, host, data);
    const nodes = host.querySelectorAll('*').length;
    const t = performance.now();
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve({ ms, frame: ms + performance.now() - t, nodes }), 0)));
  },
};
`;

export interface ChromiumTimes {
  check: number[];
  draw: number[];
  frame: number[];
  nodes: number;
}

export async function evaluationInChromium(): Promise<ChromiumTimes> {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // The sources, as the tests draw them (and ES modules, which esbuild bundles whole).
    alias: { '@tsfx/protocol': join(REPO_ROOT, 'protocol', 'src', 'index.ts') },
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const css = await build({
    entryPoints: [join(REPO_ROOT, 'extension', 'style', 'index.css')],
    bundle: true,
    write: false,
    logLevel: 'silent',
  });
  const payload = readFileSync(
    join(REPO_ROOT, 'test', 'extension', 'fixtures', 'evaluation.json'),
    'utf8',
  );
  const profile = tempDir('tsfx-bench-eval-chromium-');
  const context = await launchChromium(profile);
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page]', e.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.setContent(
      `<html><head><style>${css.outputFiles[0]!.text}</style></head><body><div id="host" style="width: 960px"></div></body></html>`,
    );
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    await page.evaluate(`window.payloadText = ${JSON.stringify(payload)}`);
    const times: ChromiumTimes = { check: [], draw: [], frame: [], nodes: 0 };
    for (let k = 0; k < ROUNDS; k++) {
      // A fresh parse each time: JupyterLab hands the renderer a payload it has not seen.
      times.check.push(
        (await page.evaluate('window.bench.check(JSON.parse(window.payloadText))')) as number,
      );
      const d = (await page.evaluate('window.bench.draw(JSON.parse(window.payloadText))')) as {
        ms: number;
        frame: number;
        nodes: number;
      };
      times.draw.push(d.ms);
      times.frame.push(d.frame);
      times.nodes = d.nodes;
    }
    return times;
  } finally {
    await context.close();
    removeDir(profile);
  }
}

if (require.main === module) {
  evaluationInChromium()
    .then((t) => console.log(JSON.stringify(t)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
