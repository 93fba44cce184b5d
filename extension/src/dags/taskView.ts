/**
 * A task instance: state, try, start, duration, cached or not, its output artifacts (each opens
 * in its tsfx view) and its log, followed while the task runs.
 */
import type { TaskInstance } from '@tsfx/protocol';
import { h } from '../dom.js';
import { stateBadge, when } from './listView.js';
import type { TaskLogState } from './model.js';

export function drawTask(
  doc: Document,
  ti: TaskInstance | null,
  taskId: string,
  log: TaskLogState | null,
  openArtifact: (artifactId: number, label: string) => void,
): HTMLElement {
  const title = h(doc, 'div', { class: 'tsfx-dag-section-title' }, `Task ${taskId}`);
  if (!ti) return h(doc, 'div', { class: 'tsfx-dag-task' }, title, 'Not in this run.');
  const facts: [string, Node | string][] = [
    ['State', stateBadge(doc, ti.state)],
    ['Try', `${ti.try_number} of ${ti.max_tries + 1}`],
    ['Started', when(ti.start_date)],
    ['Duration', ti.duration === null ? '—' : `${ti.duration.toFixed(1)} s`],
    ['Cached', ti.tsfx.cached ? 'yes (outputs of an earlier execution)' : 'no'],
  ];
  const table = h(
    doc,
    'table',
    { class: 'tsfx-dag-task-facts' },
    ...facts.map(([k, v]) =>
      h(doc, 'tr', undefined, h(doc, 'th', { scope: 'row' }, k), h(doc, 'td', undefined, v)),
    ),
  );
  const artifacts = h(doc, 'ul', { class: 'tsfx-dag-artifacts' });
  for (const a of ti.tsfx.artifacts) {
    const label = `${a.key}: ${a.type} ${a.id}`;
    const button = h(
      doc,
      'button',
      { class: 'tsfx-dag-artifact', 'data-artifact-id': a.id, title: a.uri },
      label,
    );
    button.addEventListener('click', () =>
      openArtifact(a.id, `${ti.task_id}.${a.key} (${a.type} ${a.id})`),
    );
    artifacts.append(h(doc, 'li', undefined, button));
  }
  const logBox = h(
    doc,
    'pre',
    { class: 'tsfx-dag-log', 'data-try': log?.tryNumber ?? null },
    log ? log.content || '(empty so far)' : 'No log yet.',
  );
  return h(
    doc,
    'div',
    { class: 'tsfx-dag-task', 'data-task-id': ti.task_id },
    title,
    table,
    h(doc, 'div', { class: 'tsfx-dag-section-title' }, 'Output artifacts'),
    ti.tsfx.artifacts.length > 0 ? artifacts : h(doc, 'p', undefined, 'None yet.'),
    h(
      doc,
      'div',
      { class: 'tsfx-dag-section-title' },
      `Log${log ? ` (try ${log.tryNumber})` : ''}`,
    ),
    logBox,
  );
}
