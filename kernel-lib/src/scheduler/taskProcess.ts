/**
 * A task process: started ahead of need by the scheduler's pool (so a task does not wait for
 * Node, tsx and tsfx to load), it takes exactly one assignment, parse a DAG file or run one task
 * (one component, through `runComponent`, as `tsfx run --component` does), and exits.
 *
 * A running task records its own start (queued → running) and end in the scheduler's store, as
 * Airflow's task runner does, so a task finishes and is recorded even when the scheduler died
 * meanwhile; the scheduler knows it is alive by its liveness socket.
 */
import { hostname } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { errorMessage, isSkip } from '../errors';
import { livenessSocket } from '../orchestration/liveness';
import { lineReporter } from '../display/progress';
import { MetadataStore } from '../metadata/MetadataStore';
import { recordRunIr } from '../orchestration/pipelineIr';
import { cancelRunningExecutions, runComponent } from '../orchestration/runComponent';
import { pipelineFromModule, requirePipelineModule, type LoadedModule } from '../cli/loadPipeline';
import { codeFingerprint } from '../version';
import { compiledTypeScript, registerCompiledTypeScript } from './compiledTypeScript';
import { checkDagOptions, checkTaskQueues } from './dagOptions';
import { restoreExtraCaCerts } from './extraCaCerts';
import { deferHeavyModules } from './lazyModules';
import { finishTask, startTask, type TaskOutcome } from './stateMachine';
import { SchedulerStore } from './stateStore';
import { openTaskLog, taskLogPath, type TaskLogWriter } from './taskLog';
import type {
  Assignment,
  ParseResult,
  PreloadMessage,
  RunAssignment,
  WorkerMessage,
} from './workerProtocol';

/** Sends to the scheduler (if it is still there); resolves once the message is handed over. */
function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** The import error text of a DAG file: its first line names the file (and line:column when known). */
export function importErrorText(error: unknown, file: string): string {
  const message = errorMessage(error);
  const stack = error instanceof Error && error.stack ? error.stack : message;
  if (message.includes(file)) return `${message}\n${stack}`;
  // The first stack frame in the DAG file itself says where.
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  const where = frame ? `${file}:${frame[1]}:${frame[2]}` : file;
  return `${where}: ${message}\n${stack}`;
}

export async function parseDagFile(file: string, metadataPath: string): Promise<ParseResult> {
  let mod: LoadedModule;
  try {
    mod = requirePipelineModule(file);
  } catch (error) {
    return { kind: 'error', message: importErrorText(error, file) };
  }
  if (!('dag' in mod)) return { kind: 'not-a-dag' };
  try {
    const spec = checkDagOptions(mod.dag, '', file);
    const pipeline = await pipelineFromModule(mod, file, { metadataPath }, spec.params);
    checkTaskQueues(
      spec,
      pipeline.components.map((c) => c.id),
      file,
    );
    if (spec.dagId === '') spec.dagId = pipeline.name;
    return { kind: 'dag', spec, ir: pipeline.toJSON() };
  } catch (error) {
    return { kind: 'error', message: importErrorText(error, file) };
  }
}

/**
 * Runs one task: its try begins, its component runs into the try's log, its end is recorded, and
 * the scheduler is told at once (before the stores close and the process exits): the tasks
 * downstream start meanwhile.
 */
export async function runTask(assignment: RunAssignment, socket: string): Promise<string | null> {
  const state = new SchedulerStore(assignment.stateDb);
  const tryNumber = startTask(state, assignment.key, { pid: process.pid, livenessSocket: socket });
  await send({ type: 'started', tryNumber });
  if (tryNumber === null) {
    state.close();
    await send({ type: 'finished', state: null });
    return null;
  }
  const log = openTaskLog(taskLogPath(assignment.logsFolder, assignment.key, tryNumber));
  const restore = captureOutput(log);
  let told = Promise.resolve();
  const finish = (outcome: TaskOutcome): string | null => {
    const ended = finishTask(
      state,
      assignment.key,
      tryNumber,
      outcome,
      assignment.retryDelaySeconds,
    );
    log.line(
      `Marking task as ${(ended ?? 'unchanged').toUpperCase()}. dag_id=${assignment.key.dagId}, task_id=${assignment.key.taskId}, run_id=${assignment.key.runId}, try_number=${tryNumber}`,
    );
    told = send({ type: 'finished', state: ended });
    return ended;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    cancelRunningExecutions(`interrupted by ${signal}`);
    log.line(`Received ${signal}: the task is interrupted`, 'ERROR');
    finish({ state: 'failed', executionId: null, error: `interrupted by ${signal}` });
    process.exit(143);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await execute(assignment, tryNumber, log, finish);
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    restore();
    log.close();
    state.close();
    // The process exits next: the message must be out first.
    await told;
  }
}

/** How long an executor has to end once aborted before its process ends it. */
const ABORT_GRACE_MS = 2000;

export async function execute(
  assignment: RunAssignment,
  tryNumber: number,
  log: TaskLogWriter,
  finish: (outcome: TaskOutcome) => string | null,
): Promise<string | null> {
  const { key } = assignment;
  log.line(
    `Starting attempt ${tryNumber}: dag_id=${key.dagId}, task_id=${key.taskId}, run_id=${key.runId}, pid=${process.pid}, host=${hostname()}`,
  );
  const controller = new AbortController();
  let timedOut = false;
  const timeout = assignment.executionTimeoutSeconds;
  const timer =
    timeout === null
      ? null
      : setTimeout(() => {
          timedOut = true;
          log.line(`Task timed out after ${timeout} s: aborting it`, 'ERROR');
          controller.abort();
          // An executor that ignores the abort is stopped here, its execution closed.
          setTimeout(() => {
            cancelRunningExecutions(`timed out after ${timeout} s`);
            log.line(`Task failed: Task timed out after ${timeout} s`, 'ERROR');
            finish({ state: 'failed', executionId, error: `Task timed out after ${timeout} s` });
            process.exit(1);
          }, ABORT_GRACE_MS).unref();
        }, timeout * 1000);
  let executionId: number | null = null;
  try {
    const pipeline = await pipelineFromModule(
      requirePipelineModule(assignment.file),
      assignment.file,
      { metadataPath: assignment.metadataPath },
      assignment.conf,
    );
    const component = pipeline.component(key.taskId);
    log.line(`Executing <Task(${component.type}): ${component.id}> of pipeline ${pipeline.name}`);
    const store = new MetadataStore(pipeline.metadataPath);
    try {
      recordRunIr(store, pipeline, key.runId);
      const result = await runComponent(
        store,
        { pipelineName: pipeline.name, pipelineRoot: pipeline.pipelineRoot, runId: key.runId },
        component,
        {
          enableCache: pipeline.enableCache,
          reporter: lineReporter(component.id, (line) => log.line(line), {
            endLine: true,
            everyMs: 5000,
          }),
          signal: controller.signal,
          attemptSince: assignment.attemptSince,
        },
      );
      executionId = result.executionId;
      if (result.state === 'CACHED') log.line(`Cached: reused execution ${result.cachedFrom}`);
      return finish({ state: 'success', executionId, cached: result.state === 'CACHED' });
    } finally {
      store.close();
    }
  } catch (error) {
    if (isSkip(error)) {
      log.line(`Skipping: ${errorMessage(error)}`);
      return finish({ state: 'skipped', executionId, reason: errorMessage(error) });
    }
    const message = timedOut ? `Task timed out after ${timeout} s` : errorMessage(error);
    log.line(`Task failed: ${message}`, 'ERROR');
    if (error instanceof Error && error.stack && !timedOut) log.line(error.stack, 'ERROR');
    return finish({ state: 'failed', executionId, error: message });
  } finally {
    if (timer) clearTimeout(timer);
  }
}

type StdioName = 'stdout' | 'stderr';
const STDIO: StdioName[] = ['stdout', 'stderr'];

/** The streams whose creation is tracked (see trackStdioCreation), and those created since. */
const stdioTracked = new Set<StdioName>();
const stdioCreated = new Set<StdioName>();

/**
 * Notes when process.stdout/stderr get created: Node creates each on first access (for a pipe, a
 * net.Socket: ~4 ms of a task's CPU for the two), and a task that prints nothing needs neither.
 * Called first thing in a task process, before anything can print: console keeps the stream it got
 * first, so one created before this call is captured where it is, not on access.
 */
export function trackStdioCreation(): void {
  for (const name of STDIO) {
    const original = Object.getOwnPropertyDescriptor(process, name);
    const get = original?.get;
    if (!get || !original.configurable || stdioTracked.has(name)) continue;
    Object.defineProperty(process, name, {
      ...original,
      get() {
        stdioCreated.add(name);
        return get.call(process) as unknown;
      },
    });
    stdioTracked.add(name);
  }
}

/** What the task prints (console, process.stdout/stderr) goes to its log. */
export function captureOutput(log: TaskLogWriter): () => void {
  const capture = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    log.raw(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
  const restores = STDIO.map((name) => redirect(name, capture));
  return () => {
    for (const restore of restores) restore();
  };
}

/**
 * Sends a stream's writes to `capture` until the returned function restores it. A stream not
 * created yet is redirected when something first asks for it (console does, on its first use).
 */
function redirect(name: StdioName, capture: NodeJS.WriteStream['write']): () => void {
  let stream: NodeJS.WriteStream | null = null;
  let write: NodeJS.WriteStream['write'] | null = null;
  const take = (created: NodeJS.WriteStream): NodeJS.WriteStream => {
    stream = created;
    write = created.write.bind(created);
    created.write = capture;
    return created;
  };
  const tracking = Object.getOwnPropertyDescriptor(process, name);
  const get = tracking?.get;
  const lazy = stdioTracked.has(name) && !stdioCreated.has(name) && get !== undefined;
  if (lazy) {
    Object.defineProperty(process, name, {
      ...tracking,
      get: () => stream ?? take(get.call(process) as NodeJS.WriteStream),
    });
  } else take(process[name]);
  return () => {
    if (lazy && tracking) Object.defineProperty(process, name, tracking);
    if (stream && write) stream.write = write;
  };
}

/** Where task processes keep the DAG files they compiled (next to the scheduler's store). */
export function compiledDagsFolder(stateDb: string): string {
  return join(dirname(stateDb), 'compiled');
}

/**
 * The task process. Started from the startup snapshot (`snapshot`: tsfx is loaded and its
 * fingerprint known already) or as a plain script, which loads them now.
 */
export async function main(options: { snapshot?: boolean } = {}): Promise<void> {
  restoreExtraCaCerts();
  trackStdioCreation();
  const stateDb = process.argv[2];
  const socket = await livenessSocket(stateDb);
  if (!options.snapshot) {
    // What every task needs, loaded before the assignment arrives (DuckDB and the components the
    // DAG file does not name on first use only).
    deferHeavyModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../index');
    // The cache key's hash of tsfx's code (reading every module file): done while waiting.
    codeFingerprint();
  }
  // A task's DAG file loads compiled (no tsx); a DAG file being parsed loads through tsx, as in
  // `tsfx dags list`, so its import errors read the same.
  const loadCompiled = (): void => registerCompiledTypeScript(compiledDagsFolder(stateDb));
  let busy = false;
  process.on('disconnect', () => {
    // The scheduler is gone: an idle process has nothing to do; a running task finishes and
    // records its end itself.
    if (!busy) process.exit(0);
  });
  process.on('message', (message: Assignment | PreloadMessage) => {
    if (message.kind === 'preload') {
      try {
        if (!busy) {
          loadCompiled();
          requirePipelineModule(message.file);
        }
      } catch {
        // The assignment that needs it will report the error.
      }
      return;
    }
    if (busy) return;
    busy = true;
    if (message.kind === 'run') loadCompiled();
    void handle(message, socket, stateDb).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`tsfx task process: ${errorMessage(error)}\n`);
        process.exit(1);
      },
    );
  });
  await send({ type: 'ready', pid: process.pid, socket, fromSnapshot: options.snapshot === true });
}

async function handle(assignment: Assignment, socket: string, stateDb: string): Promise<void> {
  if (assignment.kind === 'parse') {
    const result = await parseDagFile(assignment.file, assignment.metadataPath);
    await send({ type: 'parsed', result });
    if (result.kind === 'dag') compileLoadedTypeScript(compiledDagsFolder(stateDb));
    return;
  }
  await runTask(assignment, socket);
}

/**
 * Compiles the TypeScript files this process has loaded (a DAG file just parsed and its local
 * imports) into the cache its tasks load from: the compiling happens when a DAG file changes, not
 * between a trigger and its first task.
 */
function compileLoadedTypeScript(cacheFolder: string): void {
  for (const file of Object.keys(require.cache)) {
    if (!file.endsWith('.ts') || file.includes(`${sep}node_modules${sep}`)) continue;
    try {
      compiledTypeScript(file, cacheFolder);
    } catch {
      // Its task compiles it then, and reports what fails.
    }
  }
}

if (require.main === module) {
  void main();
}
