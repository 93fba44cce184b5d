// Scheduler benchmark: the per-task overhead of `tsfx scheduler` on a 50-task DAG of no-op
// components (bench/dags/bench_dag.ts), once alone and in a burst of 10 runs, against two peers
// measured here too: one `tsfx run --component` process per task (what a scheduler without
// pre-started task processes pays) and the whole DAG in one `tsfx run` process (no process per
// task at all). Overhead = wall time − the critical path of the task times (each task's time is
// its ML Metadata execution's, start to end). First, where a task process's start goes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataStore } from '../kernel-lib/src/metadata/MetadataStore';
import { HttpSchedulerClient } from '../kernel-lib/src/scheduler/api/client';
import type { Task } from '../kernel-lib/src';
import { printTable, REPO_ROOT } from './lib/measure';
import { withRedisWorker } from './lib/redisWorker';

const TSFX = join(REPO_ROOT, 'kernel-lib', 'bin', 'tsfx.js');
const DAGS = join(REPO_ROOT, 'bench', 'dags');
const DAG_FILE = join(DAGS, 'bench_dag.ts');
const BURST = Number(process.env.BENCH_SCHEDULER_RUNS ?? 10);
const PARALLELISM = Number(process.env.BENCH_SCHEDULER_PARALLELISM ?? 2);
const PER_TASK_PEER_TASKS = 8;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeNode(args: string[], repeat = 5): number {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

function startupTable(): void {
  const dist = join(REPO_ROOT, 'kernel-lib', 'dist');
  // As a task process loads: tsfx with its re-exported modules and DuckDB deferred, then tsx.
  const tsfx = `require('${dist}/scheduler/lazyModules.js').deferHeavyModules(); require('${dist}/index.js');`;
  const tsx = "require('tsx/cjs/api').register();";
  const steps: [string, string[]][] = [
    ['node, nothing loaded', ['-e', '0']],
    ['+ tsfx (dist/index.js, deferred modules)', ['-e', tsfx]],
    ['+ tsx loader registered', ['-e', `${tsfx} ${tsx}`]],
    ['+ the DAG file imported', ['-e', `${tsfx} ${tsx} require('${DAG_FILE}')`]],
    [
      'the same, tsx first and tsfx loaded whole',
      ['-e', `${tsx} require('${dist}/index.js'); require('${DAG_FILE}')`],
    ],
    [
      'tsfx run --component start (whole)',
      [
        TSFX,
        'run',
        DAG_FILE,
        '--component',
        'start',
        '--metadata',
        join(tmpdir(), `tsfx-bench-startup-${process.pid}.sqlite`),
      ],
    ],
  ];
  const rows = steps.map(([what, args]) => ({ what, 'median ms': timeNode(args).toFixed(0) }));
  printTable("Where a task process's start goes (wall ms, median of 5)", rows);
}

interface RunTimes {
  wallMs: number;
  criticalPathMs: number;
  tasks: number;
  firstTaskMs: number | null;
}

/** The longest path through the DAG with each task weighted by its execution time. */
function criticalPath(tasks: Task[], durations: Map<string, number>): number {
  const upstream = new Map<string, string[]>();
  for (const t of tasks)
    for (const d of t.downstream_task_ids) upstream.set(d, [...(upstream.get(d) ?? []), t.task_id]);
  const memo = new Map<string, number>();
  const longest = (id: string): number => {
    if (!memo.has(id))
      memo.set(
        id,
        (durations.get(id) ?? 0) + Math.max(0, ...(upstream.get(id) ?? []).map(longest)),
      );
    return memo.get(id)!;
  };
  return Math.max(...tasks.map((t) => longest(t.task_id)));
}

function executionDurations(metadata: string, runId: string): Map<string, number> {
  const store = new MetadataStore(metadata);
  try {
    return new Map(
      store
        .getExecutions({ pipeline: 'bench' })
        .filter((e) => e.runId === runId && e.endTime !== null)
        .map((e) => [e.componentId, e.endTime! - e.startTime]),
    );
  } finally {
    store.close();
  }
}

async function schedulerRuns(runs: number, schedulerArgs: string[] = []): Promise<RunTimes> {
  const home = mkdtempSync(join(tmpdir(), 'tsfx-bench-scheduler-'));
  const metadata = join(home, 'metadata.sqlite');
  const args = [TSFX, 'scheduler', '--parallelism', String(PARALLELISM), ...schedulerArgs];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, TSFX_METADATA: metadata, TSFX_DAGS_FOLDER: DAGS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('scheduler started')) await new Promise((r) => setTimeout(r, 50));
    const api = new HttpSchedulerClient(join(home, 'scheduler.sock'));
    const tasks = await api.listTasks('bench');
    // Let the pool of task processes load before the clock starts, as on a running scheduler.
    await new Promise((r) => setTimeout(r, 3000));
    const started = Date.now();
    const triggered = await Promise.all(
      Array.from({ length: runs }, () => api.trigger('bench', {})),
    );
    const ids = triggered.map((r) => r.dag_run_id);
    let ended: number[] = [];
    for (;;) {
      const states = await Promise.all(ids.map((id) => api.getRun('bench', id)));
      if (states.every((r) => r.state === 'success' || r.state === 'failed')) {
        if (states.some((r) => r.state === 'failed')) throw new Error('a benchmark run failed');
        ended = states.map((r) => Date.parse(r.end_date!));
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const firstTask = await api.getTaskInstance('bench', ids[0], 'start');
    return {
      wallMs: Math.max(...ended) - started,
      criticalPathMs: Math.max(
        ...ids.map((id) => criticalPath(tasks, executionDurations(metadata, id))),
      ),
      tasks: tasks.length * runs,
      firstTaskMs: Date.parse(firstTask.start_date!) - started,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
}

/** The whole DAG in one `tsfx run` process, or its first tasks each in a `tsfx run --component` process. */
function peerRun(perTask: boolean, tasks: Task[]): RunTimes {
  const home = mkdtempSync(join(tmpdir(), 'tsfx-bench-peer-'));
  const metadata = join(home, 'metadata.sqlite');
  const runId = 'peer';
  const base = [
    TSFX,
    'run',
    DAG_FILE,
    '--metadata',
    metadata,
    '--pipeline-root',
    join(home, 'root'),
    '--run-id',
    runId,
  ];
  try {
    const started = Date.now();
    const chosen = perTask ? tasks.slice(0, PER_TASK_PEER_TASKS) : tasks;
    const invocations = perTask ? chosen.map((t) => [...base, '--component', t.task_id]) : [base];
    for (const args of invocations) {
      const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`tsfx ${args.slice(1).join(' ')} failed`);
    }
    const wallMs = Date.now() - started;
    const durations = executionDurations(metadata, runId);
    // The sequential peer's critical path is every task it ran (one after another).
    const path = perTask
      ? [...durations.values()].reduce((a, b) => a + b, 0)
      : criticalPath(tasks, durations);
    return { wallMs, criticalPathMs: path, tasks: chosen.length, firstTaskMs: null };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  startupTable();
  const single = await schedulerRuns(1);
  const burst = await schedulerRuns(BURST);
  // The Redis executor: the same DAG through BullMQ to one tsfx worker with as many slots.
  const redis = await withRedisWorker(PARALLELISM, (args) => schedulerRuns(1, args));
  const tasksHome = mkdtempSync(join(tmpdir(), 'tsfx-bench-tasks-'));
  let tasks: Task[];
  try {
    const listed = spawnSync(process.execPath, [TSFX, 'tasks', 'list', 'bench', '-o', 'json'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TSFX_METADATA: join(tasksHome, 'metadata.sqlite'),
        TSFX_DAGS_FOLDER: DAGS,
      },
      encoding: 'utf8',
    });
    tasks = JSON.parse(listed.stdout) as Task[];
  } finally {
    rmSync(tasksHome, { recursive: true, force: true });
  }
  const perProcess = peerRun(true, tasks);
  const oneProcess = peerRun(false, tasks);
  const perTask = (r: RunTimes) => (r.wallMs - r.criticalPathMs) / r.tasks;
  const base = perTask(perProcess);
  const row = (what: string, r: RunTimes) => ({
    what,
    tasks: r.tasks,
    'wall s': (r.wallMs / 1000).toFixed(2),
    'critical path ms': r.criticalPathMs.toFixed(0),
    'overhead ms/task': perTask(r).toFixed(1),
    'vs a process per task': (perTask(r) / base).toFixed(3),
    'trigger to first task ms': r.firstTaskMs === null ? '-' : r.firstTaskMs.toFixed(0),
  });
  printTable(
    `Scheduler overhead (parallelism ${PARALLELISM}; overhead = wall − critical path of task times)`,
    [
      row('tsfx scheduler, 1 run', single),
      row(`tsfx scheduler, burst of ${BURST} runs`, burst),
      row('tsfx scheduler --executor redis + 1 tsfx worker, 1 run', redis),
      row(
        `peer: tsfx run --component per task (first ${PER_TASK_PEER_TASKS}, in turn)`,
        perProcess,
      ),
      row('peer: tsfx run, whole DAG in one process', oneProcess),
    ],
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
