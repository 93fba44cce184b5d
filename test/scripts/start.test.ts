// `npm start` (scripts/start.mjs after setup): runs the pipeline, serves JupyterLab on 127.0.0.1
// with a token, prints the notebook URL on a line of its own, and stops everything on SIGINT.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe('npm start', () => {
  it(
    'serves the notebook on 127.0.0.1 behind a token, then stops on SIGINT',
    { timeout: 240_000 },
    async () => {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [join(REPO_ROOT, 'scripts', 'start.mjs'), '--port', String(port)],
        {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no URL within 200 s:\n${output}`)),
          200_000,
        );
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          const match = output.match(
            /^(http:\/\/127\.0\.0\.1:\d+\/lab\/tree\/notebooks\/notebook\.ipynb\?token=\w+)$/m,
          );
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
      });
      assert.match(output, /pipeline chicago_taxi: 7 component\(s\)/);
      assert.equal(new URL(url).port, String(port));
      const withToken = await fetch(url);
      assert.equal(withToken.status, 200);
      const token = new URL(url).searchParams.get('token');
      const api = `http://127.0.0.1:${port}/api/contents/notebooks`;
      assert.equal((await fetch(api)).status, 403, 'the API refuses requests without the token');
      assert.equal(
        (await fetch(api, { headers: { Authorization: `token ${token}` } })).status,
        200,
      );

      child.kill('SIGINT');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 0);
      assert.ok(await refused(url), 'the server is gone after SIGINT');
    },
  );
});
