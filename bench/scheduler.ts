// Scheduler benchmark: the per-task overhead of `tsfx scheduler` on a 50-task DAG of no-op
// components (bench/dags/bench_dag.ts), once alone and in a burst of 10 runs, against two peers
// measured here too: one `tsfx run --component` process per task (what a scheduler without
// pre-started task processes pays) and the whole DAG in one `tsfx run` process (no process per
// task at all). Overhead = wall time − the critical path of the task times (each task's time is
// its ML Metadata execution's, start to end). First, where a task process's start goes.
// The scheduler is measured in turns, each turn every way of starting task processes: from the
// startup snapshot, without it (TSFX_TASK_SNAPSHOT=0), and, when BENCH_SCHEDULER_BEFORE names
// another checkout (built, with its own node_modules), that checkout's scheduler.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataStore } from '../kernel-lib/src/metadata/MetadataStore';
import { HttpSchedulerClient } from '../kernel-lib/src/scheduler/api/client';
import type { Task } from '../kernel-lib/src';
import { startTaskProcess } from '../kernel-lib/src/scheduler/workerPool';
import { currentSnapshot } from '../kernel-lib/src/scheduler/snapshot/snapshotFiles';
import { taskProcessEnv } from '../kernel-lib/src/scheduler/extraCaCerts';
import { printTable, REPO_ROOT } from './lib/measure';
import { withRedisWorker } from './lib/redisWorker';

const TSFX = join(REPO_ROOT, 'kernel-lib', 'bin', 'tsfx.js');
const DAGS = join(REPO_ROOT, 'bench', 'dags');
const DAG_FILE = join(DAGS, 'bench_dag.ts');
const BURST = Number(process.env.BENCH_SCHEDULER_RUNS ?? 10);
const PARALLELISM = Number(process.env.BENCH_SCHEDULER_PARALLELISM ?? 2);
const PER_TASK_PEER_TASKS = 8;
const TURNS = Number(process.env.BENCH_SCHEDULER_TURNS ?? 2);
/** BENCH_SCHEDULER_REDIS=0 leaves the Redis executor out. */
const WITH_REDIS = process.env.BENCH_SCHEDULER_REDIS !== '0';
const BEFORE = process.env.BENCH_SCHEDULER_BEFORE;

/** A way to run the scheduler: which checkout's tsfx, with which environment. */
interface Variant {
  name: string;
  repo: string;
  env: Record<string, string>;
}

/**
 * NODE_EXTRA_CA_CERTS (set on machines behind a TLS-inspecting proxy, this one among them) makes
 * Node 20 parse its bundled root certificates and the extra file at every start, before any code
 * runs (nodejs/node#40524): every task process pays it, narrowed to the certificates Node does not
 * bundle (scheduler/extraCaCerts.ts). When it is set, the bench also measures without it.
 */
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;

const VARIANTS: Variant[] = [
  ...(BEFORE ? [{ name: `before (${BEFORE})`, repo: BEFORE, env: {} }] : []),
  { name: 'no snapshot (TSFX_TASK_SNAPSHOT=0)', repo: REPO_ROOT, env: { TSFX_TASK_SNAPSHOT: '0' } },
  { name: 'from the snapshot', repo: REPO_ROOT, env: {} },
  ...(EXTRA_CA
    ? [
        {
          name: 'from the snapshot, NODE_EXTRA_CA_CERTS unset',
          repo: REPO_ROOT,
          env: { NODE_EXTRA_CA_CERTS: '' },
        },
      ]
    : []),
];

/** CPU seconds of a process itself and of its children it has reaped (Linux /proc, 10 ms ticks). */
function cpuOf(pid: number): { own: number; children: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of stat (here from field 3 on).
  const ticks = fields.slice(11, 15).map(Number);
  return { own: (ticks[0] + ticks[1]) / 100, children: (ticks[2] + ticks[3]) / 100 };
}

function cpuWithChildren(pid: number): number {
  const { own, children } = cpuOf(pid);
  return own + children;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeNode(args: string[], repeat = 5, env: Record<string, string> = {}): number {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: 'ignore',
      env: { ...process.env, ...env },
    });
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
  if (EXTRA_CA)
    rows.splice(1, 0, {
      what: 'node, nothing loaded, NODE_EXTRA_CA_CERTS unset',
      'median ms': timeNode(['-e', '0'], 5, { NODE_EXTRA_CA_CERTS: '' }).toFixed(0),
    });
  printTable("Where a task process's start goes (wall ms, median of 5)", rows);
}

/** A pool's task process, started and loaded until `ready`: wall ms and CPU ms (median of 7). */
async function taskProcessStart(
  blob: string | null,
  env: (home: string) => NodeJS.ProcessEnv,
): Promise<{ wall: number; cpu: number }> {
  const home = mkdtempSync(join(tmpdir(), 'tsfx-bench-start-'));
  const walls: number[] = [];
  const cpus: number[] = [];
  try {
    for (let i = 0; i < 7; i++) {
      const started = process.hrtime.bigint();
      const p = await startTaskProcess(join(home, 'scheduler.sqlite'), blob, env(home));
      walls.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (p.fromSnapshot !== (blob !== null)) throw new Error('the task process started otherwise');
      cpus.push(cpuWithChildren(p.pid) * 1000);
      p.child.kill('SIGTERM');
      await p.exited;
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return { wall: median(walls), cpu: median(cpus) };
}

async function taskProcessStartTable(): Promise<void> {
  const found = currentSnapshot();
  if (!('blob' in found)) {
    console.log(`\n(no task snapshot: ${found.reason})`);
    return;
  }
  // As the scheduler starts them: NODE_EXTRA_CA_CERTS narrowed to what Node does not bundle.
  const narrowed = (home: string) => taskProcessEnv(join(home, 'extra-ca-certs'));
  type Way = [string, string | null, (home: string) => NodeJS.ProcessEnv];
  const ways: Way[] = [
    ['plain start', null, narrowed],
    ['from the snapshot', found.blob, narrowed],
    ...(EXTRA_CA
      ? ([
          ['from the snapshot, NODE_EXTRA_CA_CERTS as set', found.blob, () => process.env],
          [
            'from the snapshot, NODE_EXTRA_CA_CERTS unset',
            found.blob,
            () => ({ ...process.env, NODE_EXTRA_CA_CERTS: '' }),
          ],
        ] satisfies Way[])
      : []),
  ];
  const rows: Record<string, string>[] = [];
  for (let turn = 1; turn <= TURNS; turn++) {
    for (const [what, blob, env] of ways) {
      const load = loadavg()[0].toFixed(1);
      const { wall, cpu } = await taskProcessStart(blob, env);
      rows.push({
        turn: String(turn),
        what,
        'wall ms': wall.toFixed(0),
        'CPU ms': cpu.toFixed(0),
        load,
      });
    }
  }
  printTable(
    "A pool's task process, start to ready (median of 7; CPU from /proc, 10 ms ticks)",
    rows,
  );
}

interface RunTimes {
  wallMs: number;
  criticalPathMs: number;
  tasks: number;
  firstTaskMs: number | null;
  /** CPU ms per task of the scheduler and its task processes, trigger to end. */
  cpuPerTaskMs?: number;
  /** The scheduler's own share of it. */
  schedulerCpuPerTaskMs?: number;
  /** The 1-minute load average when the runs began. */
  load?: number;
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

async function schedulerRuns(
  runs: number,
  schedulerArgs: string[] = [],
  variant: Variant = VARIANTS[VARIANTS.length - 1],
): Promise<RunTimes> {
  const home = mkdtempSync(join(tmpdir(), 'tsfx-bench-scheduler-'));
  const metadata = join(home, 'metadata.sqlite');
  const tsfx = join(variant.repo, 'kernel-lib', 'bin', 'tsfx.js');
  const args = [tsfx, 'scheduler', '--parallelism', String(PARALLELISM), ...schedulerArgs];
  const child = spawn(process.execPath, args, {
    cwd: variant.repo,
    env: {
      ...process.env,
      ...variant.env,
      TSFX_METADATA: metadata,
      TSFX_DAGS_FOLDER: join(variant.repo, 'bench', 'dags'),
    },
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
    const load = loadavg()[0];
    const cpuBefore = cpuOf(child.pid!);
    const started = Date.now();
    const triggered = await Promise.all(
      Array.from({ length: runs }, () => api.trigger('bench', {})),
    );
    const ids = triggered.map((r) => r.dag_run_id);
    let ended: number[] = [];
    // One list request per poll, however many runs: the wall time comes from the runs' end_date,
    // so polling each run on its own would only add load to the scheduler being measured.
    for (;;) {
      const listed = await api.listRuns('bench');
      const states = listed.filter((r) => ids.includes(r.dag_run_id));
      if (states.length !== ids.length) throw new Error('a triggered run is not listed');
      if (states.every((r) => r.state === 'success' || r.state === 'failed')) {
        if (states.some((r) => r.state === 'failed')) throw new Error('a benchmark run failed');
        ended = states.map((r) => Date.parse(r.end_date!));
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const cpuAfter = cpuOf(child.pid!);
    const own = cpuAfter.own - cpuBefore.own;
    const cpu = own + cpuAfter.children - cpuBefore.children;
    const firstTask = await api.getTaskInstance('bench', ids[0], 'start');
    return {
      wallMs: Math.max(...ended) - started,
      criticalPathMs: Math.max(
        ...ids.map((id) => criticalPath(tasks, executionDurations(metadata, id))),
      ),
      tasks: tasks.length * runs,
      firstTaskMs: Date.parse(firstTask.start_date!) - started,
      cpuPerTaskMs: (cpu * 1000) / (tasks.length * runs),
      schedulerCpuPerTaskMs: (own * 1000) / (tasks.length * runs),
      load,
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
  await taskProcessStartTable();
  // In turns: each turn runs every variant, so that a change of load touches them alike.
  const measured: [string, RunTimes][] = [];
  for (let turn = 1; turn <= TURNS; turn++) {
    for (const variant of VARIANTS) {
      measured.push([`turn ${turn}, ${variant.name}: 1 run`, await schedulerRuns(1, [], variant)]);
      measured.push([
        `turn ${turn}, ${variant.name}: burst of ${BURST} runs`,
        await schedulerRuns(BURST, [], variant),
      ]);
    }
  }
  // The Redis executor: the same DAG through BullMQ to one tsfx worker with as many slots.
  const redis = WITH_REDIS
    ? await withRedisWorker(PARALLELISM, (args) => schedulerRuns(1, args))
    : null;
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
    'CPU ms/task': r.cpuPerTaskMs === undefined ? '-' : r.cpuPerTaskMs.toFixed(0),
    'of it scheduler':
      r.schedulerCpuPerTaskMs === undefined ? '-' : r.schedulerCpuPerTaskMs.toFixed(0),
    load: r.load === undefined ? '-' : r.load.toFixed(1),
  });
  printTable(
    `Scheduler overhead (parallelism ${PARALLELISM}; overhead = wall − critical path of task times; CPU = scheduler + its task processes)`,
    [
      ...measured.map(([what, r]) => row(`tsfx scheduler, ${what}`, r)),
      ...(redis ? [row('tsfx scheduler --executor redis + 1 tsfx worker, 1 run', redis)] : []),
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
