// Serving benchmark: `tsfx serve` answering the taxi model over TF Serving's REST API, loaded by
// autocannon (16 connections, BENCH_SERVE_SECONDS = 20 s a run), with 1 and 64 raw instances a
// request, with cross-request batching off (to measure what it brings), and with one instance a
// request while a new version is pushed mid-run. Its peer and ceiling: a bare Node http server
// answering a fixed JSON body on the same machine. Every server runs in its own process; the
// subjects take turns (BENCH_SERVE_ROUNDS rounds, default 1).
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pushToFilesystem } from '../kernel-lib/src/serving/push';
import { printTable, REPO_ROOT } from './lib/measure';

const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_SERVE_ROUNDS ?? 1);
const CONNECTIONS = 16;
const DIR = join(REPO_ROOT, 'build', 'bench', 'serve');

interface Prepared {
  current: string;
  next: string;
  bodies: Record<string, string>;
}

interface Subject {
  name: string;
  bare?: boolean;
  instances: 1 | 64;
  batching?: 'off';
  /** Push a new version this many seconds into the run. */
  pushAfter?: number;
}

interface Run {
  requestsPerSecond: number;
  rowsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
  versions: Map<string, number>;
}

const SUBJECTS: Subject[] = [
  { name: 'bare Node http, fixed body', bare: true, instances: 1 },
  { name: 'tsfx serve', instances: 1 },
  { name: 'tsfx serve', instances: 64 },
  { name: 'tsfx serve, batching off', instances: 1, batching: 'off' },
  { name: 'tsfx serve, new version pushed', instances: 1, pushAfter: SECONDS / 2 },
];

function prepare(): Prepared {
  mkdirSync(DIR, { recursive: true });
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'bench', 'lib', 'serveModels.ts'), DIR],
    { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`serveModels.ts failed (${result.status})`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Prepared;
}

/** Starts a server process and waits for the line with its URL. */
async function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /REST API at (http:\/\/[^/\s]+)\/v1\//.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  child.stdout!.resume();
  return { child, url };
}

/** The peak resident memory of a live process (Linux), in MB. */
function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

async function measure(subject: Subject, prepared: Prepared, round: number): Promise<Run> {
  const base = join(DIR, `models-${round}-${SUBJECTS.indexOf(subject)}`);
  rmSync(base, { recursive: true, force: true });
  await pushToFilesystem(prepared.current, base);
  const args = subject.bare
    ? ['--import', 'tsx', join(REPO_ROOT, 'bench', 'lib', 'bareServer.ts')]
    : [
        join(REPO_ROOT, 'kernel-lib', 'bin', 'tsfx.js'),
        'serve',
        '--model-base-path',
        base,
        '--model-name',
        'taxi',
        '--port',
        '0',
        ...(subject.batching ? ['--batching', subject.batching] : []),
      ];
  const { child, url } = await startServer(args);
  const versions = new Map<string, number>();
  const timer = subject.pushAfter
    ? setTimeout(() => void pushToFilesystem(prepared.next, base), subject.pushAfter * 1000)
    : null;
  try {
    const result = await autocannon({
      url: `${url}/v1/models/taxi:predict`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: readFileSync(prepared.bodies[subject.instances], 'utf8'),
          // Only the push run looks at answers (collecting bodies costs the load generator).
          onResponse: subject.pushAfter
            ? (_status, _body, _context, headers) => {
                const version = String(headers?.['X-Model-Version'] ?? 'none');
                versions.set(version, (versions.get(version) ?? 0) + 1);
              }
            : undefined,
        },
      ],
    });
    return {
      requestsPerSecond: result.requests.average,
      rowsPerSecond: result.requests.average * subject.instances,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      peakRssMb: peakRssMb(child.pid!),
      versions,
    };
  } finally {
    if (timer) clearTimeout(timer);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const prepared = prepare();
  const loadBefore = loadavg()[0];
  const runs = new Map<Subject, Run[]>(SUBJECTS.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of SUBJECTS) {
      console.error(
        `[bench] round ${round + 1}: ${subject.name}, ${subject.instances} instance(s)`,
      );
      runs.get(subject)!.push(await measure(subject, prepared, round));
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const summary = SUBJECTS.map((subject) => {
    const r = runs.get(subject)!;
    return {
      subject,
      requestsPerSecond: mean(r.map((x) => x.requestsPerSecond)),
      rowsPerSecond: mean(r.map((x) => x.rowsPerSecond)),
      p50: mean(r.map((x) => x.p50)),
      p99: mean(r.map((x) => x.p99)),
      non2xx: r.reduce((n, x) => n + x.non2xx, 0),
      errors: r.reduce((n, x) => n + x.errors, 0),
      peakRssMb: Math.max(...r.map((x) => x.peakRssMb)),
      versions: r.map((x) => [...x.versions.values()].join(' then ')).join('; '),
    };
  });
  const bare = summary[0].requestsPerSecond;
  printTable(
    `Serving the taxi model over REST (${CONNECTIONS} connections, ${SECONDS} s a run, ${ROUNDS} round(s), autocannon)`,
    summary.map((s) => ({
      subject: s.subject.name,
      'instances/request': s.subject.instances,
      'req/s': Math.round(s.requestsPerSecond).toLocaleString('en-US'),
      'rows/s': Math.round(s.rowsPerSecond).toLocaleString('en-US'),
      'p50 ms': s.p50.toFixed(1),
      'p99 ms': s.p99.toFixed(1),
      'non-2xx': s.non2xx,
      errors: s.errors,
      'server peak RSS MB': Number.isNaN(s.peakRssMb) ? '-' : s.peakRssMb.toFixed(0),
      'req/s vs bare': (s.requestsPerSecond / bare).toFixed(2),
    })),
  );
  // The load generator shares the machine with the servers: a busy machine lowers every row.
  console.log(
    `machine: ${cpus().length} cores; load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
  );
  const single = summary[1].requestsPerSecond / bare;
  const pushed = summary[4];
  console.log(
    `target: single-instance req/s >= 40% of the bare server's: ${single >= 0.4 ? 'met' : 'NOT met'} (${(single * 100).toFixed(0)}%)`,
  );
  console.log(
    `target: 0 errors while a new version is pushed: ${pushed.non2xx + pushed.errors === 0 ? 'met' : 'NOT met'} ` +
      `(${pushed.non2xx} non-2xx, ${pushed.errors} errors; answers by version, old then new: ${pushed.versions})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
