/**
 * The scheduler's API as the panel reaches it: through Jupyter (`<base>/tsfx/api/…`, the server
 * extension in lab/server proxies it to the scheduler's socket), with Jupyter's token and XSRF
 * cookie (ServerConnection). Every answer is checked by the protocol's schema of its resource.
 */
import { ServerConnection } from '@jupyterlab/services';
import {
  check,
  DAGCollectionSchema,
  DAGDetailSchema,
  DAGRunCollectionSchema,
  DAGRunSchema,
  DAGSchema,
  ImportErrorCollectionSchema,
  TaskCollectionSchema,
  TaskInstanceCollectionSchema,
  TaskLogSchema,
  type DAG,
  type DAGDetail,
  type DAGRun,
  type ImportError,
  type Task,
  type TaskInstance,
  type TaskLog,
} from '@tsfx/protocol';
import type { GenericSchema, InferOutput } from 'valibot';

/** An error answer of the API (Airflow's problem JSON), or the proxy's 503 when no scheduler runs. */
export class DagsApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the view endpoint answers: the payload `show()` sends a notebook for one artifact. */
export interface ArtifactView {
  artifact_id: number;
  type: string;
  kind: string;
  mime: string;
  payload: unknown;
}

const enc = encodeURIComponent;

export class DagsApi {
  constructor(readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  private async request(path: string, init: RequestInit = {}): Promise<unknown> {
    const url = `${this.settings.baseUrl}tsfx/${path}`;
    const response = await ServerConnection.makeRequest(
      url,
      { ...init, headers: { Accept: 'application/json', ...init.headers } },
      this.settings,
    );
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!response.ok) {
      const detail = (body as { detail?: string; message?: string } | null) ?? {};
      throw new DagsApiError(
        response.status,
        detail.detail ?? detail.message ?? `${response.status} ${response.statusText}`,
      );
    }
    return body;
  }

  private async get<S extends GenericSchema>(schema: S, path: string): Promise<InferOutput<S>> {
    return check(schema, await this.request(`api/${path}`), path, 'tsfx scheduler API');
  }

  private async send<S extends GenericSchema>(
    schema: S,
    method: string,
    path: string,
    body: unknown,
  ): Promise<InferOutput<S>> {
    const answer = await this.request(`api/${path}`, {
      method,
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
    return check(schema, answer, path, 'tsfx scheduler API');
  }

  async dags(): Promise<DAG[]> {
    return (await this.get(DAGCollectionSchema, 'dags')).dags;
  }
  async importErrors(): Promise<ImportError[]> {
    return (await this.get(ImportErrorCollectionSchema, 'importErrors')).import_errors;
  }
  details(dagId: string): Promise<DAGDetail> {
    return this.get(DAGDetailSchema, `dags/${enc(dagId)}/details`);
  }
  async tasks(dagId: string): Promise<Task[]> {
    return (await this.get(TaskCollectionSchema, `dags/${enc(dagId)}/tasks`)).tasks;
  }
  async runs(dagId: string): Promise<DAGRun[]> {
    return (await this.get(DAGRunCollectionSchema, `dags/${enc(dagId)}/dagRuns`)).dag_runs;
  }
  async taskInstances(dagId: string, runId: string): Promise<TaskInstance[]> {
    const path = `dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances`;
    return (await this.get(TaskInstanceCollectionSchema, path)).task_instances;
  }
  log(
    dagId: string,
    runId: string,
    taskId: string,
    tryNumber: number,
    token: string | null,
  ): Promise<TaskLog> {
    const query = token === null ? '' : `?token=${enc(token)}`;
    const path = `dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}/logs/${tryNumber}${query}`;
    return this.get(TaskLogSchema, path);
  }
  setPaused(dagId: string, isPaused: boolean): Promise<DAG> {
    return this.send(DAGSchema, 'PATCH', `dags/${enc(dagId)}`, { is_paused: isPaused });
  }
  trigger(dagId: string, conf: Record<string, unknown> | undefined): Promise<DAGRun> {
    return this.send(DAGRunSchema, 'POST', `dags/${enc(dagId)}/dagRuns`, conf ? { conf } : {});
  }
  async artifactView(artifactId: number): Promise<ArtifactView> {
    return (await this.request(`artifacts/${artifactId}/view`)) as ArtifactView;
  }
}
