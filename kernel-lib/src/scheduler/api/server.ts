import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  check,
  PatchDAGSchema,
  PayloadError,
  TriggerDAGRunSchema,
  type ApiError,
  type HealthInfo,
} from '@tsfx/protocol';
import { errorMessage } from '../../errors';
import { ApiProblem, type SchedulerService } from './service';

/**
 * The scheduler's HTTP API (Airflow's stable REST API v1 shapes) on a Unix socket that only its
 * user may open: node:http, a dozen routes matched by pattern, no framework (nothing here needs
 * one). Never on a network address.
 */
export interface ApiServer {
  close(): Promise<void>;
}

type Handler = (
  params: string[],
  request: { query: URLSearchParams; body: unknown; accept: string },
) => Promise<unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Returns text/plain unless JSON is asked for. */
  text?: boolean;
}

const segment = '([^/]+)';
const route = (method: string, path: string, handler: Handler, text = false): Route => ({
  method,
  pattern: new RegExp(`^/api/v1${path.replace(/\{\w+\}/g, segment)}$`),
  handler,
  text,
});

function routes(service: SchedulerService, health: () => HealthInfo): Route[] {
  const collection = <T>(key: string, items: T[]) => ({
    [key]: items,
    total_entries: items.length,
  });
  return [
    route('GET', '/health', async () => health()),
    route('GET', '/dags', async () => collection('dags', await service.listDags())),
    route('GET', '/dags/{dag_id}', async ([dag]) => service.getDag(dag)),
    route('PATCH', '/dags/{dag_id}', async ([dag], { body }) =>
      service.patchDag(dag, check(PatchDAGSchema, body, 'body', 'bad request').is_paused),
    ),
    route('GET', '/dags/{dag_id}/details', async ([dag]) => service.getDagDetail(dag)),
    route('GET', '/dags/{dag_id}/tasks', async ([dag]) =>
      collection('tasks', await service.listTasks(dag)),
    ),
    route('GET', '/dags/{dag_id}/dagRuns', async ([dag], { query }) =>
      collection('dag_runs', await service.listRuns(dag, query.get('state') ?? undefined)),
    ),
    route('POST', '/dags/{dag_id}/dagRuns', async ([dag], { body }) =>
      service.trigger(dag, check(TriggerDAGRunSchema, body ?? {}, 'body', 'bad request')),
    ),
    route('GET', '/dags/{dag_id}/dagRuns/{dag_run_id}', async ([dag, run]) =>
      service.getRun(dag, run),
    ),
    route('GET', '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances', async ([dag, run]) =>
      collection('task_instances', await service.listTaskInstances(dag, run)),
    ),
    route(
      'GET',
      '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}',
      async ([dag, run, task]) => service.getTaskInstance(dag, run, task),
    ),
    route(
      'GET',
      '/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}',
      async ([dag, run, task, tryNumber], { query }) =>
        service.getLog(dag, run, task, Number(tryNumber), query.get('token') ?? undefined),
      true,
    ),
    route('GET', '/importErrors', async () =>
      collection('import_errors', await service.listImportErrors()),
    ),
  ];
}

function problem(status: number, title: string, detail: string, instance: string): ApiError {
  return { type: `about:blank`, title, status, detail, instance };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiProblem(400, 'Bad Request', `body: not JSON: ${errorMessage(error)}`);
  }
}

export function startApiServer(
  service: SchedulerService,
  socketPath: string,
  health: () => HealthInfo,
): Promise<ApiServer> {
  const table = routes(service, health);
  const server = createServer((request, response) => void respond(table, request, response));
  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve({
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function respond(
  table: Route[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://scheduler');
  const send = (status: number, body: unknown, type = 'application/json'): void => {
    const text = type.endsWith('json') ? JSON.stringify(body) : String(body);
    response.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
    response.end(text);
  };
  try {
    const path = decodeURI(url.pathname);
    const matching = table.filter((r) => r.pattern.test(path));
    if (matching.length === 0) throw new ApiProblem(404, 'Not Found', `no such resource: ${path}`);
    const found = matching.find((r) => r.method === request.method);
    if (!found)
      throw new ApiProblem(
        405,
        'Method Not Allowed',
        `${request.method} is not allowed on ${path}`,
      );
    const params = found.pattern.exec(path)!.slice(1).map(decodeURIComponent);
    const accept = request.headers.accept ?? '';
    const body = request.method === 'GET' ? undefined : await readBody(request);
    const result = await found.handler(params, { query: url.searchParams, body, accept });
    if (found.text && !accept.includes('application/json')) {
      send(200, (result as { content: string }).content, 'text/plain');
    } else {
      send(200, result);
    }
  } catch (error) {
    if (error instanceof ApiProblem) {
      send(
        error.status,
        problem(error.status, error.title, error.detail, url.pathname),
        'application/problem+json',
      );
    } else if (error instanceof PayloadError) {
      send(
        400,
        problem(400, 'Bad Request', error.message, url.pathname),
        'application/problem+json',
      );
    } else {
      send(
        500,
        problem(500, 'Internal Server Error', errorMessage(error), url.pathname),
        'application/problem+json',
      );
    }
  }
}
