import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import * as v from 'valibot';
import { DAGRunSchema, type DAGRun } from '../../../../kernel-lib/src';
import { TSFX_BIN } from '../../../helpers';
import { waitFor, type World } from '../harness';

export interface RunningWorker {
  child: ChildProcessWithoutNullStreams;
  cwd: string;
  output: () => string;
  /** SIGKILL to the worker and its task processes at once, as when its host goes down. */
  killHost(): Promise<void>;
  /** SIGTERM: it stops taking jobs, waits for its running ones, and exits (its code). */
  stop(): Promise<number | null>;
}

/**
 * Starts `tsfx worker` in a working directory of its own and a process group of its own (so a
 * test can kill it together with its task processes); stopped when the test file ends. `host`:
 * a command prefix that runs it elsewhere (`ip netns exec <name>`: hostNetwork.ts).
 */
export async function startWorker(
  redisUrl: string,
  args: string[] = [],
  host: string[] = [],
): Promise<RunningWorker> {
  const cwd = mkdtempSync(join(tmpdir(), 'tsfx-worker-'));
  const command = [...host, process.execPath, TSFX_BIN, 'worker', '--redis', redisUrl, ...args];
  const child = spawn(command[0], command.slice(1), { cwd, detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  after(async () => {
    if (alive()) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => killGroup(child.pid!), 15_000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(cwd, { recursive: true, force: true });
  });
  await waitFor(() => output.includes('worker started') || !alive(), 'a worker to start', 60_000);
  if (!alive()) throw new Error(`the worker exited: ${output}`);
  return {
    child,
    cwd,
    output: () => output,
    killHost: async () => {
      killGroup(child.pid!);
      await exited;
    },
    stop: async () => {
      if (alive()) child.kill('SIGTERM');
      return exited;
    },
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** One JSON request to the scheduler's API socket. */
export function api(
  w: World,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: join(w.root, 'scheduler.sock'),
        method,
        path: `/api/v1${path}`,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export async function trigger(w: World, dagId: string, body: object): Promise<DAGRun> {
  const answer = await api(w, 'POST', `/dags/${dagId}/dagRuns`, body);
  if (answer.status !== 200) throw new Error(`trigger: ${answer.status} ${answer.body}`);
  return v.parse(DAGRunSchema, JSON.parse(answer.body));
}

export async function waitForRun(
  w: World,
  dagId: string,
  runId: string,
  timeoutMs = 180_000,
): Promise<DAGRun> {
  let run: DAGRun | undefined;
  await waitFor(
    async () => {
      const answer = await api(w, 'GET', `/dags/${dagId}/dagRuns/${runId}`);
      run = v.parse(DAGRunSchema, JSON.parse(answer.body));
      return run.state === 'success' || run.state === 'failed';
    },
    `run ${dagId}/${runId} to end`,
    timeoutMs,
  );
  return run!;
}
