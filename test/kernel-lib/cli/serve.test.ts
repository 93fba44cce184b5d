import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readRawInput } from '../../../kernel-lib/src/cli/commands/predict';
import { pushToFilesystem } from '../../../kernel-lib/src/serving/push';
import { loadTf } from '../../../kernel-lib/src/trainer/backend';
import { loadServingBundle, servingDir } from '../../../kernel-lib/src/trainer/servingBundle';
import { REPO_ROOT, runCli, TSFX_BIN, tempDir, writeFile } from '../../helpers';
import { trainTaxiModels } from '../serving/taxiModels';

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Starts `tsfx serve` and waits for the line that gives its URL. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [TSFX_BIN, 'serve', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  after(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /REST API at (http:\/\/[^/\s]+)\/v1\//.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`tsfx serve exited (${code}): ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('tsfx serve (CLI)', async () => {
  const root = tempDir();
  const { models, evalCsv } = await trainTaxiModels(root, [8]);
  const base = join(root, 'serving');
  const { version, destination } = await pushToFilesystem(servingDir(models[0].uri), base);
  const { tf } = await loadTf('auto');
  const bundle = await loadServingBundle(tf, destination);
  const rows = await readRawInput(evalCsv, bundle.manifest.rawFeatures);
  const predicted = runCli(['predict', '--model', destination, evalCsv]);
  assert.equal(predicted.status, 0, predicted.stderr);
  const expected = predicted.stdout.trim().split('\n').slice(1);

  it('answers every eval row with the probability tsfx predict gives it', async () => {
    const { url } = await serve(['--model-base-path', base, '--model-name', 'taxi']);
    const response = await fetch(`${url}/v1/models/taxi:predict`, {
      method: 'POST',
      body: JSON.stringify({ instances: rows }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-model-version'), String(version));
    const { predictions } = (await response.json()) as { predictions: number[] };
    assert.equal(predictions.length, rows.length);
    assert.deepEqual(predictions.map(String), expected);
  });

  it('on SIGTERM finishes the request under way, then exits 0', async () => {
    const served = await serve(['--model-base-path', base, '--model-name', 'taxi']);
    const pending = fetch(`${served.url}/v1/models/taxi:predict`, {
      method: 'POST',
      body: JSON.stringify({ instances: [...rows, ...rows] }),
    });
    // Signal once the request has been read and is being scored (its rows span many turns).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = once(served.child, 'exit');
    served.child.kill('SIGTERM');
    const response = await pending;
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: number[] };
    assert.deepEqual(predictions.map(String), [...expected, ...expected]);
    const [code] = await exited;
    assert.equal(code, 0);
    assert.match(served.output(), /SIGTERM: finishing the requests under way/);
    assert.match(served.output(), /\] stopped\n$/);
  });

  it('with --token-file, answers only requests that carry the token', async () => {
    const token = 'cli-test-token-cli-test-token';
    const file = writeFile(root, 'token.txt', `${token}\n`);
    const { url } = await serve([
      '--model-base-path',
      base,
      '--model-name',
      'taxi',
      '--token-file',
      file,
    ]);
    const without = await fetch(`${url}/v1/models/taxi`);
    assert.equal(without.status, 401);
    assert.equal(without.headers.get('www-authenticate'), 'Bearer realm="tsfx serve"');
    const withToken = await fetch(`${url}/v1/models/taxi`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(withToken.status, 200);
  });

  it('refuses bad options in one line, and a non-loopback host without a token', () => {
    const cases: [string[], RegExp][] = [
      [[], /^error: usage: tsfx serve --model-base-path DIR/],
      [
        ['--model-base-path', join(root, 'nowhere')],
        /^error: --model-base-path .*nowhere: no such folder/,
      ],
      [
        ['--model-base-path', base, '--port', 'http'],
        /^error: --port must be a whole number from 0 to 65535/,
      ],
      [
        ['--model-base-path', base, '--version-policy', 'newest'],
        /^error: --version-policy must be all, latest or latest:N/,
      ],
      [
        ['--model-base-path', base, '--host', '0.0.0.0'],
        /^error: refusing to serve on 0\.0\.0\.0 without a token/,
      ],
      [
        ['--model-base-path', base, '--token-file', join(root, 'missing.txt')],
        /^error: --token-file .*missing\.txt: ENOENT/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = runCli(['serve', ...args], { env: { TSFX_SERVE_TOKEN: '' } });
      assert.equal(result.status, 1, args.join(' '));
      assert.match(result.lastLine, message);
    }
  });
});
