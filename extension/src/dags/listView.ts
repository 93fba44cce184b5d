/** The DAGs: name, schedule, paused toggle, last run state, next run; then the import errors. */
import { STATE_COLORS, type DAG, type ImportError } from '@tsfx/protocol';
import { h } from '../dom.js';

export interface ListActions {
  open(dagId: string): void;
  setPaused(dagId: string, isPaused: boolean): void;
}

/** A paused toggle as Airflow's: on means the DAG runs (unpaused). */
export function pausedToggle(doc: Document, dag: DAG, actions: ListActions): HTMLInputElement {
  const toggle = h(doc, 'input', {
    type: 'checkbox',
    class: 'tsfx-dag-pause-toggle',
    title: dag.is_paused ? 'Paused: click to unpause' : 'Running: click to pause',
    'aria-label': `${dag.is_paused ? 'Unpause' : 'Pause'} ${dag.dag_id}`,
  });
  toggle.checked = !dag.is_paused;
  toggle.addEventListener('change', () => actions.setPaused(dag.dag_id, !toggle.checked));
  return toggle;
}

export function stateBadge(doc: Document, state: string | null): HTMLElement {
  const key = (state ?? 'none') as keyof typeof STATE_COLORS;
  return h(
    doc,
    'span',
    { class: 'tsfx-dag-state', 'data-state': key, style: `border-color:${STATE_COLORS[key]}` },
    state ?? 'no runs',
  );
}

export function drawList(doc: Document, dags: readonly DAG[], actions: ListActions): HTMLElement {
  if (dags.length === 0)
    return h(doc, 'p', { class: 'tsfx-dag-empty' }, 'No DAGs in the dags folder.');
  const rows = dags.map((dag) => {
    const name = h(
      doc,
      'button',
      { class: 'tsfx-dag-link', 'data-dag-id': dag.dag_id },
      dag.dag_id,
    );
    name.addEventListener('click', () => actions.open(dag.dag_id));
    return h(
      doc,
      'tr',
      { 'data-dag-id': dag.dag_id },
      h(doc, 'td', undefined, pausedToggle(doc, dag, actions)),
      h(doc, 'td', undefined, name),
      h(doc, 'td', { class: 'tsfx-dag-schedule' }, dag.timetable_description ?? 'None'),
      h(doc, 'td', undefined, stateBadge(doc, dag.tsfx.last_run_state)),
      h(doc, 'td', { class: 'tsfx-dag-next' }, dag.next_dagrun ? when(dag.next_dagrun) : '—'),
    );
  });
  return h(
    doc,
    'table',
    { class: 'tsfx-dag-list' },
    h(
      doc,
      'thead',
      undefined,
      h(
        doc,
        'tr',
        undefined,
        ...['', 'DAG', 'Schedule', 'Last run', 'Next run'].map((t) =>
          h(doc, 'th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(doc, 'tbody', undefined, ...rows),
  );
}

export function drawImportErrors(
  doc: Document,
  errors: readonly ImportError[],
): HTMLElement | null {
  if (errors.length === 0) return null;
  return h(
    doc,
    'details',
    { class: 'tsfx-dag-import-errors', open: true },
    h(doc, 'summary', undefined, `Import errors (${errors.length})`),
    ...errors.map((e) =>
      h(
        doc,
        'div',
        { class: 'tsfx-dag-import-error' },
        h(doc, 'div', { class: 'tsfx-dag-import-file' }, e.filename),
        h(doc, 'pre', undefined, e.stack_trace),
      ),
    ),
  );
}

/** A timestamp as the user's local date and time, to the second. */
export function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
