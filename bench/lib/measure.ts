import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface Measurement {
  name: string;
  seconds: number;
  /** User + system CPU seconds of the process and its threads (less sensitive to load than wall time). */
  cpuSeconds?: number;
  peakRssMb: number;
  note?: string;
}

/**
 * Runs a command in its own process and measures its wall time, peak RSS and CPU time (from the
 * process's own report on its last stdout line `{"maxRssKb": …, "cpuSeconds": …}`).
 */
export async function measureProcess(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(new Error(`${name} exited with ${code}: ${stdout.slice(-500)}`)),
    );
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const last = output.trim().split('\n').pop() ?? '{}';
  const report = JSON.parse(last) as { maxRssKb?: number; cpuSeconds?: number; note?: string };
  return {
    name,
    seconds,
    cpuSeconds: report.cpuSeconds,
    peakRssMb: (report.maxRssKb ?? NaN) / 1024,
    note: report.note,
  };
}

/**
 * The fastest of each subject over `rounds` rounds; subjects take turns so that a noisy spell of
 * this shared machine falls on all of them rather than on one.
 */
export async function bestOfRounds(
  rounds: number,
  subjects: (() => Promise<Measurement>)[],
): Promise<Measurement[]> {
  const best: (Measurement | null)[] = subjects.map(() => null);
  for (let round = 0; round < rounds; round++) {
    for (const [i, run] of subjects.entries()) {
      const m = await run();
      if (best[i] === null || m.seconds < best[i]!.seconds) best[i] = m;
    }
  }
  return best.map((m) => m!);
}

/** A generated taxi-like CSV of `rows` rows under build/bench (made once, then reused). */
export async function taxiCsv(rows: number): Promise<string> {
  const file = join(REPO_ROOT, 'build', 'bench', `taxi-${rows}.csv`);
  if (!existsSync(file)) {
    const generator = join(REPO_ROOT, 'scripts', 'generate-taxi-csv.mjs');
    const args = [generator, '--rows', String(rows), '--out', file];
    const result = spawnSync(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) {
      rmSync(file, { force: true });
      throw new Error(`generate-taxi-csv.mjs exited with ${result.status ?? result.signal}`);
    }
  }
  return file;
}

export function printTable(title: string, rows: { [column: string]: string | number }[]): void {
  const headers = Object.keys(rows[0] ?? {});
  const cells = [headers, ...rows.map((r) => headers.map((h) => String(r[h])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  console.log(`\n${title}`);
  for (const [i, row] of cells.entries()) {
    console.log(row.map((c, j) => c.padEnd(widths[j])).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
