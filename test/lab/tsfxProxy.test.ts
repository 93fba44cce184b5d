// The Jupyter server extension (lab/server/tsfx_jupyter, loaded by lab/launcher.py): behind
// Jupyter's token, /tsfx/api/* reaches the scheduler's API with its status and body unchanged;
// without the token it is 403; with no scheduler running it is a 503 problem JSON.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpSchedulerClient } from '../../kernel-lib/src/scheduler/api/client';
import { schedulerPaths } from '../../kernel-lib/src/scheduler/paths';
import { startLab, tempDir, removeDir, type RunningLab } from '../browser/lab-helpers';
import { REPO_ROOT, TSFX_BIN } from '../helpers';
import {
  startScheduler,
  world,
  type RunningScheduler,
  type World,
} from '../kernel-lib/scheduler/harness';

// At the top level: its clean-up (schedulers stopped, folders removed) then runs at the end.
const w: World = world();
let scheduler: RunningScheduler;
let lab: RunningLab;
const scratch: string[] = [];

before(async () => {
  scheduler = await startScheduler(w);
  // The lab's server (and the tsfx CLI it runs) sees the world's store and dags folder.
  Object.assign(process.env, w.env, { TSFX_CLI: `${process.execPath} ${TSFX_BIN}` });
  const stateDir = tempDir('tsfx-proxy-state-');
  scratch.push(stateDir);
  lab = await startLab({ root: REPO_ROOT, stateDir, log: () => {} });
});

after(async () => {
  await lab?.stop();
  for (const dir of scratch) removeDir(dir);
});

const authorized = (init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { Authorization: `token ${lab.token}`, ...init.headers },
});

async function direct(path: string, init: { method?: string; body?: string } = {}) {
  // The scheduler's own answer, on its socket, to compare the proxied one with.
  const client = new HttpSchedulerClient(schedulerPaths({ metadata: w.metadata }).socket);
  const { request } = await import('node:http');
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        socketPath: client.socketPath,
        method: init.method ?? 'GET',
        path: `/api/v1/${path}`,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('/tsfx/api/* through Jupyter', () => {
  it('passes an authenticated GET through with the status and body the scheduler answers', async () => {
    const proxied = await fetch(`${lab.baseUrl}/tsfx/api/dags`, authorized());
    assert.equal(proxied.status, 200);
    assert.match(proxied.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await proxied.json()) as { dags: { dag_id: string }[]; total_entries: number };
    assert.deepEqual(body.dags.map((d) => d.dag_id).sort(), ['noop', 'retry']);
    assert.equal(body.total_entries, 2);
    const own = await direct('dags');
    assert.deepEqual(body, JSON.parse(own.body));

    const missing = await fetch(`${lab.baseUrl}/tsfx/api/dags/nope`, authorized());
    assert.equal(missing.status, 404);
    const problem = (await missing.json()) as { status: number; detail: string };
    assert.equal(problem.status, 404);
    assert.equal(problem.detail, "DAG with dag_id: 'nope' not found");
  });

  it('passes PATCH and POST through (bodies and error statuses)', async () => {
    const json = { 'Content-Type': 'application/json' };
    const patched = await fetch(
      `${lab.baseUrl}/tsfx/api/dags/noop`,
      authorized({ method: 'PATCH', headers: json, body: JSON.stringify({ is_paused: true }) }),
    );
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as { is_paused: boolean }).is_paused, true);
    assert.equal(
      (JSON.parse((await direct('dags/noop')).body) as { is_paused: boolean }).is_paused,
      true,
    );

    const trigger = () =>
      fetch(
        `${lab.baseUrl}/tsfx/api/dags/noop/dagRuns`,
        authorized({
          method: 'POST',
          headers: json,
          body: JSON.stringify({ dag_run_id: 'through-jupyter' }),
        }),
      );
    const created = await trigger();
    assert.equal(created.status, 200);
    const run = (await created.json()) as { dag_run_id: string; state: string; conf: object };
    assert.equal(run.dag_run_id, 'through-jupyter');
    assert.equal(run.state, 'queued');
    const again = await trigger();
    assert.equal(again.status, 409, "the scheduler's 409 (run id exists) comes through");

    const bad = await fetch(
      `${lab.baseUrl}/tsfx/api/dags/noop`,
      authorized({ method: 'PATCH', headers: json, body: '{"is_paused": "yes"}' }),
    );
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { detail: string }).detail, /is_paused/);
  });

  it("refuses requests without Jupyter's token (403), reads and writes alike", async () => {
    assert.equal((await fetch(`${lab.baseUrl}/tsfx/api/dags`)).status, 403);
    const post = await fetch(`${lab.baseUrl}/tsfx/api/dags/noop/dagRuns`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(post.status, 403);
    assert.equal((await fetch(`${lab.baseUrl}/tsfx/artifacts/1/view`)).status, 403);
    const runs = JSON.parse((await direct('dags/noop/dagRuns')).body) as { total_entries: number };
    assert.equal(runs.total_entries, 1, 'the refused POST created no run');
  });

  it('answers 404 for an artifact the store does not have', async () => {
    const answer = await fetch(`${lab.baseUrl}/tsfx/artifacts/999999/view`, authorized());
    assert.equal(answer.status, 404);
    assert.match(
      ((await answer.json()) as { detail: string }).detail,
      /^tsfx view: no (artifact 999999|metadata store)/,
    );
  });

  it('answers 503 with a problem JSON saying so when the scheduler is not running', async () => {
    assert.equal(await scheduler.stop(), 0);
    const answer = await fetch(`${lab.baseUrl}/tsfx/api/dags`, authorized());
    assert.equal(answer.status, 503);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await answer.json()) as { status: number; title: string; detail: string };
    assert.equal(problem.status, 503);
    assert.equal(problem.title, 'Service Unavailable');
    assert.match(problem.detail, /the tsfx scheduler is not running .*npx tsfx scheduler/);
  });
});
