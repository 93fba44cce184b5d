// `npm start` (scripts/start.mjs after setup): runs the pipeline, starts the scheduler and serves
// JupyterLab on 127.0.0.1 with a token (the scheduler's API behind it), prints both and the
// notebook URL on a line of its own, and stops both, once each, on a Ctrl+C (SIGINT to the whole
// process group, as a terminal sends it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check, ValidationResultSchema, VALIDATIONS_FILE } from '@tsfx/protocol';
import { MetadataStore } from '../../kernel-lib/src/metadata/MetadataStore';
import { REPO_ROOT, tempDir } from '../helpers';
import { freePort } from '../servers/freePort';

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

/** Whether something accepts connections on a Unix socket. */
function listening(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = connect(socket);
    connection.once('connect', () => {
      connection.destroy();
      resolve(true);
    });
    connection.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it(
    "serves the notebook and the scheduler on 127.0.0.1 behind a token, then stops both on a terminal's Ctrl+C",
    { timeout: 240_000 },
    async () => {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [join(REPO_ROOT, 'scripts', 'start.mjs'), '--port', String(port)],
        {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          // A process group of its own, as a terminal's foreground job: Ctrl+C signals the group.
          detached: true,
        },
      );
      const ctrlC = () => process.kill(-child.pid!, 'SIGINT');
      let output = '';
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      try {
        await checkStart();
      } finally {
        // On a failure, stop what npm start started as Ctrl+C does (it stops the lab and the
        // scheduler), so that nothing outlives the test.
        if (child.exitCode === null && child.signalCode === null) {
          ctrlC();
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, 20_000);
            child.once('exit', () => resolve(clearTimeout(timer)));
          });
        }
      }
      async function checkStart(): Promise<void> {
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
        assert.match(output, /pipeline chicago_taxi: 9 component\(s\)/);
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

        const socket = output.match(/serves its API on unix socket (\S+)/)?.[1];
        assert.ok(socket && (await listening(socket)), `the scheduler listens on ${socket}`);
        const proxied = output.match(
          /JupyterLab proxies it \(Jupyter's token needed\): (\S+)$/m,
        )?.[1];
        assert.equal(proxied, `http://127.0.0.1:${port}/tsfx/api/dags`);
        const dags = await fetch(proxied, { headers: { Authorization: `token ${token}` } });
        assert.equal(dags.status, 200);
        const { dags: list } = (await dags.json()) as {
          dags: { dag_id: string; fileloc: string }[];
        };
        assert.ok(
          list.some(
            (d) =>
              d.dag_id === 'chicago_taxi' &&
              d.fileloc === join(REPO_ROOT, 'notebooks', 'dags', 'taxi_pipeline.ts'),
          ),
          JSON.stringify(list),
        );
        assert.equal(
          (await fetch(proxied)).status,
          403,
          'the scheduler API refuses requests without the token',
        );

        const schedulerPid = Number(output.match(/scheduler started \(pid (\d+)\)/)?.[1]);
        ctrlC();
        const code = await new Promise((resolve) => child.once('exit', resolve));
        assert.equal(code, 0, output);
        assert.ok(await refused(url), 'the server is gone after Ctrl+C');
        assert.equal(await listening(socket), false, 'the scheduler is gone after Ctrl+C');
        assert.throws(() => process.kill(schedulerPid, 0), /ESRCH/, 'the scheduler has exited');
        // The scheduler was told to stop once (by npm start), not also by the terminal.
        assert.equal(output.match(/\[scheduler\] .*received SIG/g)?.length, 1, output);
        assert.equal(output.match(/\[scheduler\] .*scheduler stopped/g)?.length, 1, output);
        assert.equal(output.match(/\[start\] stopping JupyterLab and the scheduler/g)?.length, 1);
      }
    },
  );

  it(
    "a second start validates the new model against the first run's blessed model",
    { timeout: 600_000 },
    () => {
      const root = tempDir();
      const start = () =>
        spawnSync(
          process.execPath,
          [join(REPO_ROOT, 'scripts', 'start.mjs'), '--headless', '--pipeline-root', root],
          { cwd: REPO_ROOT, encoding: 'utf8' },
        );
      const first = start();
      assert.equal(first.status, 0, first.stdout.slice(-3000) + first.stderr.slice(-3000));
      const second = start();
      assert.equal(second.status, 0, second.stdout.slice(-3000) + second.stderr.slice(-3000));
      assert.match(second.stdout, /latest_blessed_model_resolver done/);

      const store = new MetadataStore(join(root, 'metadata.sqlite'));
      try {
        const evaluations = store
          .getExecutions({ pipeline: 'chicago_taxi', componentId: 'Evaluator' })
          .filter((e) => e.state === 'COMPLETE');
        assert.equal(evaluations.length, 2, 'the Evaluator ran in each start');
        const [model] = store.getArtifacts({ type: 'Model' });
        const outputs = evaluations.map((e) => store.getOutputs(e.id));
        const validation = (i: number) =>
          check(
            ValidationResultSchema,
            JSON.parse(
              readFileSync(join(outputs[i].get('evaluation')![0].uri, VALIDATIONS_FILE), 'utf8'),
            ),
          );
        const blessing = (i: number) => outputs[i].get('blessing')![0];
        // The first run had no blessed model: a rubber stamp, blessed on value thresholds.
        assert.equal(validation(0).rubberStamp, true);
        assert.equal(blessing(0).properties.blessed, 1);
        assert.equal(blessing(0).properties.baseline_model_id, undefined);
        // The second compares with the first run's model, the latest blessed one.
        assert.equal(validation(1).rubberStamp, false);
        assert.equal(validation(1).validationOk, true);
        assert.equal(blessing(1).properties.baseline_model_id, model.id);
        assert.equal(blessing(1).properties.baseline_model_uri, model.uri);
        const evalRun = JSON.parse(
          readFileSync(join(outputs[1].get('evaluation')![0].uri, 'eval_config.json'), 'utf8'),
        ) as { modelLocations: Record<string, string> };
        assert.equal(evalRun.modelLocations.baseline, model.uri);
        // Both blessed models were pushed, as two versions.
        const pushes = store.getArtifacts({ type: 'PushedModel' });
        assert.deepEqual(
          pushes.map((p) => p.properties.pushed),
          [1, 1],
        );
        assert.ok(
          Number(pushes[1].properties.pushed_version) > Number(pushes[0].properties.pushed_version),
        );
      } finally {
        store.close();
      }
    },
  );
});
