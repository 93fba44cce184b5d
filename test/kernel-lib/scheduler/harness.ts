import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { REPO_ROOT, runCli, TSFX_BIN, type CliResult } from '../../helpers';

/** A scheduler's world for a test: its own store folder and a dags folder inside the repository. */
export interface World {
  root: string;
  metadata: string;
  dagsFolder: string;
  env: NodeJS.ProcessEnv;
  /** Schedulers started in this world: killed before its folders are removed. */
  schedulers: RunningScheduler[];
  cli(args: string[]): CliResult;
}

export const FIXTURE_DAGS = join(__dirname, 'dags');

/**
 * A fresh world: the fixture DAG files copied into a dags folder under build/ (so that their
 * `import 'tsfx'` resolves), plus any extra files given.
 */
export function world(
  extraFiles: Record<string, string> = {},
  dagFiles = ['noop_dag.ts', 'retry_dag.ts'],
): World {
  const root = mkdtempSync(join(tmpdir(), 'tsfx-sched-'));
  mkdirSync(join(REPO_ROOT, 'build'), { recursive: true });
  const dagsFolder = mkdtempSync(join(REPO_ROOT, 'build', 'test-dags-'));
  const schedulers: RunningScheduler[] = [];
  after(async () => {
    // Schedulers first (their task processes may still write for a moment), then the folders.
    for (const s of schedulers) {
      if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
      s.child.kill('SIGTERM');
      const kill = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
      await s.exited;
      clearTimeout(kill);
    }
    // Task processes of a killed scheduler may still be ending (removing their sockets).
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const dir of [root, dagsFolder]) {
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
    }
  });
  for (const file of dagFiles) cpSync(join(FIXTURE_DAGS, file), join(dagsFolder, file));
  for (const [name, text] of Object.entries(extraFiles))
    writeFileSync(join(dagsFolder, name), text);
  const metadata = join(root, 'metadata.sqlite');
  const env = { TSFX_METADATA: metadata, TSFX_DAGS_FOLDER: dagsFolder };
  return { root, metadata, dagsFolder, env, schedulers, cli: (args) => runCli(args, { env }) };
}

export interface RunningScheduler {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts `tsfx scheduler` and resolves once it has parsed its DAGs and serves its API. */
export async function startScheduler(w: World, args: string[] = []): Promise<RunningScheduler> {
  const child = spawn(process.execPath, [TSFX_BIN, 'scheduler', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...w.env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await waitFor(
    () => output.includes('scheduler started') || child.exitCode !== null,
    'the scheduler to start',
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`the scheduler exited: ${output}`);
  const running: RunningScheduler = {
    child,
    output: () => output,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  w.schedulers.push(running);
  return running;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Parses a CLI's `-o json` output, failing with its stderr when it did not succeed. */
export function json<T>(result: CliResult): T {
  if (result.status !== 0)
    throw new Error(`status ${result.status}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as T;
}
