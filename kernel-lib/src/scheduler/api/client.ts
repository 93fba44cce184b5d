import { request } from 'node:http';
import type {
  DAG,
  DAGDetail,
  DAGRun,
  HealthInfo,
  ImportError,
  Task,
  TaskInstance,
  TaskLog,
  TriggerDAGRun,
} from '@tsfx/protocol';
import { refreshDagBag } from '../dagBag';
import type { SchedulerPaths } from '../paths';
import { SchedulerStore } from '../stateStore';
import { WorkerPool } from '../workerPool';
import { ApiProblem, SchedulerService } from './service';

/** What the CLI asks of the scheduler: the API's operations, over HTTP or on the store directly. */
export interface SchedulerApi {
  listDags(): Promise<DAG[]>;
  getDag(dagId: string): Promise<DAG>;
  getDagDetail(dagId: string): Promise<DAGDetail>;
  patchDag(dagId: string, isPaused: boolean): Promise<DAG>;
  listTasks(dagId: string): Promise<Task[]>;
  listImportErrors(): Promise<ImportError[]>;
  listRuns(dagId: string, state?: string): Promise<DAGRun[]>;
  getRun(dagId: string, runId: string): Promise<DAGRun>;
  trigger(dagId: string, body: TriggerDAGRun): Promise<DAGRun>;
  listTaskInstances(dagId: string, runId: string): Promise<TaskInstance[]>;
  getTaskInstance(dagId: string, runId: string, taskId: string): Promise<TaskInstance>;
  getLog(
    dagId: string,
    runId: string,
    taskId: string,
    tryNumber: number,
    token?: string,
  ): Promise<TaskLog>;
  close(): void;
}

interface HttpAnswer {
  status: number;
  body: string;
}

function call(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path: `/api/v1${path}`,
        headers: {
          accept: 'application/json',
          ...(text === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const enc = encodeURIComponent;

/** The API over the scheduler's Unix socket. Errors come back as the server's problem detail. */
export class HttpSchedulerClient implements SchedulerApi {
  constructor(readonly socketPath: string) {}

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await call(this.socketPath, method, path, body);
    const parsed = JSON.parse(answer.body) as unknown;
    if (answer.status >= 400) {
      const p = parsed as { status: number; title: string; detail: string | null };
      throw new ApiProblem(p.status, p.title, p.detail ?? p.title);
    }
    return parsed as T;
  }

  health(): Promise<HealthInfo> {
    return this.json('GET', '/health');
  }
  async listDags(): Promise<DAG[]> {
    return (await this.json<{ dags: DAG[] }>('GET', '/dags')).dags;
  }
  getDag(dagId: string): Promise<DAG> {
    return this.json('GET', `/dags/${enc(dagId)}`);
  }
  getDagDetail(dagId: string): Promise<DAGDetail> {
    return this.json('GET', `/dags/${enc(dagId)}/details`);
  }
  patchDag(dagId: string, isPaused: boolean): Promise<DAG> {
    return this.json('PATCH', `/dags/${enc(dagId)}`, { is_paused: isPaused });
  }
  async listTasks(dagId: string): Promise<Task[]> {
    return (await this.json<{ tasks: Task[] }>('GET', `/dags/${enc(dagId)}/tasks`)).tasks;
  }
  async listImportErrors(): Promise<ImportError[]> {
    return (await this.json<{ import_errors: ImportError[] }>('GET', '/importErrors'))
      .import_errors;
  }
  async listRuns(dagId: string, state?: string): Promise<DAGRun[]> {
    const query = state === undefined ? '' : `?state=${enc(state)}`;
    return (await this.json<{ dag_runs: DAGRun[] }>('GET', `/dags/${enc(dagId)}/dagRuns${query}`))
      .dag_runs;
  }
  getRun(dagId: string, runId: string): Promise<DAGRun> {
    return this.json('GET', `/dags/${enc(dagId)}/dagRuns/${enc(runId)}`);
  }
  trigger(dagId: string, body: TriggerDAGRun): Promise<DAGRun> {
    return this.json('POST', `/dags/${enc(dagId)}/dagRuns`, body);
  }
  async listTaskInstances(dagId: string, runId: string): Promise<TaskInstance[]> {
    return (
      await this.json<{ task_instances: TaskInstance[] }>(
        'GET',
        `/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances`,
      )
    ).task_instances;
  }
  getTaskInstance(dagId: string, runId: string, taskId: string): Promise<TaskInstance> {
    return this.json(
      'GET',
      `/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}`,
    );
  }
  getLog(
    dagId: string,
    runId: string,
    taskId: string,
    tryNumber: number,
    token?: string,
  ): Promise<TaskLog> {
    const query = token === undefined ? '' : `?token=${enc(token)}`;
    return this.json(
      'GET',
      `/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}/logs/${tryNumber}${query}`,
    );
  }
  close(): void {}
}

/** The running scheduler's API, or null when none answers on the store's socket. */
export async function connectScheduler(paths: SchedulerPaths): Promise<HttpSchedulerClient | null> {
  const client = new HttpSchedulerClient(paths.socket);
  try {
    await client.health();
    return client;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return null;
    throw error;
  }
}

/**
 * The API for the CLI: through the scheduler when one runs, else on the store directly, parsing
 * the dags folder first (in processes of their own, as the scheduler does) where a command needs
 * the DAGs.
 */
export async function openSchedulerApi(paths: SchedulerPaths): Promise<SchedulerApi> {
  const remote = await connectScheduler(paths);
  if (remote) return remote;
  const state = new SchedulerStore(paths.stateDb);
  let refreshed = false;
  const service = new SchedulerService(state, paths, {
    onChange: () => {},
    refresh: async () => {
      if (refreshed) return;
      refreshed = true;
      const pool = new WorkerPool(paths.stateDb, 0);
      try {
        await refreshDagBag(state, paths.dagsFolder, (file) =>
          pool.parse(file, paths.metadataPath),
        );
      } finally {
        pool.close();
      }
    },
  });
  service.ownsState = true;
  return service;
}
