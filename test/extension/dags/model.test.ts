// The DAG panel's model (no DOM) against a scripted API: it polls every POLL_MS (≤ 2 s) only
// while shown with auto-refresh on, loads a selected DAG, follows a running task's log by its
// continuation token, fetches a finished run's task instances once, and reports API errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DAG, DAGDetail, DAGRun, Task, TaskInstance, TaskLog } from '@tsfx/protocol';
import type { DagsApi } from '../../../extension/src/dags/api';
import { DagsModel, POLL_MS } from '../../../extension/src/dags/model';

const dag = (id: string): DAG => ({
  dag_id: id,
  is_paused: false,
  is_active: true,
  fileloc: `/dags/${id}.ts`,
  description: null,
  schedule_interval: null,
  timetable_description: 'Never, external triggers only',
  tags: [],
  max_active_runs: 1,
  has_import_errors: false,
  next_dagrun: null,
  tsfx: { last_run_id: null, last_run_state: null, pipeline_name: id },
});

const run = (id: string, state: DAGRun['state'], date: string): DAGRun => ({
  dag_run_id: id,
  dag_id: 'd',
  logical_date: date,
  execution_date: date,
  start_date: date,
  end_date: null,
  data_interval_start: null,
  data_interval_end: null,
  run_type: 'manual',
  state,
  external_trigger: true,
  conf: {},
});

const ti = (runId: string, state: TaskInstance['state'], tryNumber = 1): TaskInstance => ({
  task_id: 'a',
  dag_id: 'd',
  dag_run_id: runId,
  execution_date: null,
  start_date: null,
  end_date: null,
  duration: null,
  state,
  try_number: tryNumber,
  max_tries: 0,
  hostname: null,
  operator: 'Noop',
  queued_when: null,
  pid: null,
  tsfx: { cached: false, execution_id: null, artifacts: [] },
});

/** A scripted API that counts its calls. */
class FakeApi {
  calls: string[] = [];
  runsOf: DAGRun[] = [
    run('old', 'success', '2026-01-01T00:00:00Z'),
    run('new', 'running', '2026-01-02T00:00:00Z'),
  ];
  states: Record<string, TaskInstance['state']> = { old: 'success', new: 'running' };
  logParts = ['line 1\n', 'line 2\n'];
  failDags: string | null = null;
  async dags(): Promise<DAG[]> {
    this.calls.push('dags');
    if (this.failDags) throw new Error(this.failDags);
    return [dag('d')];
  }
  async importErrors() {
    return [];
  }
  async details(id: string): Promise<DAGDetail> {
    this.calls.push(`details ${id}`);
    return {
      ...dag(id),
      start_date: null,
      catchup: false,
      params: { n: 1 },
      default_args: { retries: 0, retry_delay: 60, execution_timeout: null },
    };
  }
  async tasks(): Promise<Task[]> {
    return [
      {
        task_id: 'a',
        class_ref: { class_name: 'Noop', module_path: null },
        downstream_task_ids: [],
        retries: 0,
        tsfx: { inputs: {}, outputs: {} },
      },
    ];
  }
  async runs(): Promise<DAGRun[]> {
    return this.runsOf;
  }
  async taskInstances(_dag: string, runId: string): Promise<TaskInstance[]> {
    this.calls.push(`tis ${runId}`);
    return [ti(runId, this.states[runId] ?? null)];
  }
  async log(
    _d: string,
    runId: string,
    _t: string,
    tryNumber: number,
    token: string | null,
  ): Promise<TaskLog> {
    this.calls.push(`log ${runId} ${tryNumber} ${token}`);
    const at = token === null ? 0 : Number(token);
    return {
      content: this.logParts[at] ?? '',
      continuation_token: String(Math.min(at + 1, this.logParts.length)),
    };
  }
}

function model(api: FakeApi): DagsModel {
  return new DagsModel(api as unknown as DagsApi);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DagsModel', () => {
  it('polls every POLL_MS (at most 2 s) only while shown with auto-refresh on', async () => {
    assert.ok(POLL_MS <= 2000);
    const api = new FakeApi();
    const m = model(api);
    await sleep(POLL_MS + 300);
    assert.equal(api.calls.length, 0, 'a hidden panel asks nothing');
    m.active = true;
    await sleep(2 * POLL_MS + 300);
    const polled = api.calls.filter((c) => c === 'dags').length;
    assert.ok(polled >= 2 && polled <= 4, `polled ${polled} times`);
    m.autoRefresh = false;
    await sleep(50);
    const before = api.calls.length;
    await sleep(POLL_MS + 300);
    assert.equal(api.calls.length, before, 'no polling with auto-refresh off');
    m.dispose();
  });

  it('loads a DAG, picks the newest run, follows the log, and fetches a finished run once', async () => {
    const api = new FakeApi();
    const m = model(api);
    let changes = 0;
    m.changed.connect(() => changes++);
    m.selectDag('d');
    await m.refresh();
    assert.equal(m.detail?.dag_id, 'd');
    assert.deepEqual(
      m.runs.map((r) => r.dag_run_id),
      ['new', 'old'],
    );
    assert.equal(m.runId, 'new');
    m.selectTask('a');
    await m.refresh();
    await m.refresh();
    assert.equal(m.log?.content, 'line 1\nline 2\n');
    assert.ok(api.calls.includes('log new 1 null'), 'the first read from the start');
    assert.ok(api.calls.includes('log new 1 1'), 'the next read continued after the token');
    await m.refresh();
    assert.equal(m.log?.content, 'line 1\nline 2\n', 'nothing repeated');
    assert.equal(
      api.calls.filter((c) => c === 'tis old').length,
      1,
      'the finished run was fetched once',
    );
    assert.ok(api.calls.filter((c) => c === 'tis new').length >= 3, 'the running run every time');
    assert.equal(api.calls.filter((c) => c.startsWith('details')).length, 1);

    // The run ends between two polls: its last task's success is still fetched, then no more.
    api.runsOf = api.runsOf.map((r) => (r.dag_run_id === 'new' ? { ...r, state: 'success' } : r));
    api.states.new = 'success';
    await m.refresh();
    assert.equal(m.instance('new', 'a')?.state, 'success');
    const fetched = api.calls.filter((c) => c === 'tis new').length;
    await m.refresh();
    assert.equal(api.calls.filter((c) => c === 'tis new').length, fetched);
    assert.ok(changes > 0);
    m.dispose();
  });

  it("keeps the API's error message for the view, and clears it once the API answers", async () => {
    const api = new FakeApi();
    api.failDags = 'the tsfx scheduler is not running';
    const m = model(api);
    await m.refresh();
    assert.equal(m.error, 'the tsfx scheduler is not running');
    api.failDags = null;
    await m.refresh();
    assert.equal(m.error, null);
    m.dispose();
  });
});
