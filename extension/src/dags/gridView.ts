/** Airflow's grid: runs (columns, newest first) × tasks (rows), cells in state colours. */
import { STATE_COLORS, type DAGRun, type Task, type TaskInstance } from '@tsfx/protocol';
import { h } from '../dom.js';
import { stateColor } from './graphView.js';

export function drawGrid(
  doc: Document,
  tasks: readonly Task[],
  runs: readonly DAGRun[],
  instances: (runId: string) => readonly TaskInstance[],
  selected: { runId: string | null; taskId: string | null },
  onSelect: (runId: string, taskId: string | null) => void,
): HTMLTableElement {
  const head = h(doc, 'tr', undefined, h(doc, 'th', { scope: 'col' }, 'task \\ run'));
  for (const run of runs) {
    const cell = h(doc, 'th', {
      scope: 'col',
      class: `tsfx-dag-run-cell${run.dag_run_id === selected.runId ? ' tsfx-selected' : ''}`,
      title: `${run.dag_run_id}: ${run.state}`,
      'data-run-id': run.dag_run_id,
      'data-state': run.state,
      style: `background:${STATE_COLORS[run.state]}`,
    });
    cell.addEventListener('click', () => onSelect(run.dag_run_id, null));
    head.append(cell);
  }
  const body = h(doc, 'tbody');
  for (const task of tasks) {
    const row = h(doc, 'tr', undefined, h(doc, 'th', { scope: 'row' }, task.task_id));
    for (const run of runs) {
      const ti = instances(run.dag_run_id).find((i) => i.task_id === task.task_id);
      const isSelected = run.dag_run_id === selected.runId && task.task_id === selected.taskId;
      const cell = h(doc, 'td', {
        class: `tsfx-dag-ti-cell${isSelected ? ' tsfx-selected' : ''}`,
        title: `${task.task_id} in ${run.dag_run_id}: ${ti?.state ?? 'no status'}`,
        'data-state': ti?.state ?? 'none',
        style: `background:${stateColor(ti)}`,
      });
      cell.addEventListener('click', () => onSelect(run.dag_run_id, task.task_id));
      row.append(cell);
    }
    body.append(row);
  }
  return h(doc, 'table', { class: 'tsfx-dag-grid' }, h(doc, 'thead', undefined, head), body);
}
