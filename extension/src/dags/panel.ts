/**
 * The sidebar DAG panel: the DAG list, or one DAG (its actions, graph, grid and selected task).
 * A thin view: it draws the model's state on every `changed` and forwards clicks to the model.
 */
import { Widget } from '@lumino/widgets';
import { h } from '../dom.js';
import { drawGraph } from './graphView.js';
import { drawGrid } from './gridView.js';
import { drawImportErrors, drawList, pausedToggle, stateBadge } from './listView.js';
import type { DagsModel } from './model.js';
import { drawTask } from './taskView.js';
import { drawTriggerForm } from './triggerForm.js';

export class DagsPanel extends Widget {
  private readonly status: HTMLElement;
  private readonly content: HTMLElement;
  private readonly form: HTMLElement;
  private formFor: string | null = null;

  constructor(
    readonly model: DagsModel,
    private readonly openArtifact: (artifactId: number, label: string) => void,
  ) {
    super();
    this.id = 'tsfx-dags-panel';
    this.addClass('tsfx-dags-panel');
    const doc = this.node.ownerDocument;
    const auto = h(doc, 'input', { type: 'checkbox', class: 'tsfx-dag-auto-refresh' });
    auto.checked = model.autoRefresh;
    auto.addEventListener('change', () => (model.autoRefresh = auto.checked));
    const refresh = h(doc, 'button', { class: 'tsfx-dag-refresh', title: 'Refresh now' }, '⟳');
    refresh.addEventListener('click', () => void model.refresh());
    this.status = h(doc, 'div', { class: 'tsfx-dag-status' });
    this.form = h(doc, 'div', { class: 'tsfx-dag-form-host' });
    this.content = h(doc, 'div', { class: 'tsfx-dag-content' });
    this.node.append(
      h(
        doc,
        'div',
        { class: 'tsfx-dag-toolbar' },
        h(doc, 'span', { class: 'tsfx-dag-heading' }, 'DAGs'),
        h(doc, 'label', undefined, auto, ' Auto-refresh'),
        refresh,
      ),
      this.status,
      this.form,
      this.content,
    );
    model.changed.connect(() => this.draw(), this);
    this.draw();
  }

  protected override onAfterShow(): void {
    this.model.active = true;
  }

  protected override onAfterHide(): void {
    this.model.active = false;
  }

  protected override onAfterAttach(): void {
    this.model.active = this.isVisible;
  }

  override dispose(): void {
    this.model.changed.disconnect(this.draw, this);
    super.dispose();
  }

  private draw(): void {
    const doc = this.node.ownerDocument;
    const m = this.model;
    this.status.replaceChildren(m.error ? h(doc, 'div', { class: 'tsfx-error' }, m.error) : '');
    if (this.formFor !== null && this.formFor !== m.dagId) this.closeForm();
    const dag = m.dag;
    if (m.dagId === null || dag === null) {
      this.content.replaceChildren(
        drawList(doc, m.dags, {
          open: (id) => m.selectDag(id),
          setPaused: (id, paused) => void m.setPaused(id, paused),
        }),
        drawImportErrors(doc, m.importErrors) ?? '',
      );
      return;
    }
    const back = h(doc, 'button', { class: 'tsfx-dag-back', title: 'All DAGs' }, '←');
    back.addEventListener('click', () => m.selectDag(null));
    const trigger = h(doc, 'button', { class: 'tsfx-dag-trigger' }, '▶ Trigger');
    trigger.addEventListener('click', () => void m.trigger(dag.dag_id));
    const withConfig = h(doc, 'button', { class: 'tsfx-dag-trigger-config' }, 'Trigger w/ config');
    withConfig.addEventListener('click', () => this.openForm());
    const run = m.runs.find((r) => r.dag_run_id === m.runId) ?? null;
    const parts: (Node | string)[] = [
      h(
        doc,
        'div',
        { class: 'tsfx-dag-header' },
        back,
        h(doc, 'span', { class: 'tsfx-dag-title' }, dag.dag_id),
        h(
          doc,
          'label',
          { class: 'tsfx-dag-paused' },
          pausedToggle(doc, dag, {
            open: () => {},
            setPaused: (id, paused) => void m.setPaused(id, paused),
          }),
          dag.is_paused ? ' paused' : ' active',
        ),
      ),
      h(doc, 'div', { class: 'tsfx-dag-buttons' }, trigger, withConfig),
      h(
        doc,
        'div',
        { class: 'tsfx-dag-run-line' },
        run ? h(doc, 'span', { class: 'tsfx-dag-run-id' }, run.dag_run_id) : 'No runs yet',
        run ? stateBadge(doc, run.state) : '',
      ),
      h(
        doc,
        'div',
        { class: 'tsfx-dag-graph-host' },
        drawGraph(doc, m.tasks, m.runId ? m.instances(m.runId) : [], m.taskId, (taskId) =>
          m.selectTask(taskId),
        ),
      ),
    ];
    if (m.runs.length > 0)
      parts.push(
        h(
          doc,
          'div',
          { class: 'tsfx-dag-grid-host' },
          drawGrid(
            doc,
            m.tasks,
            m.runs,
            (id) => m.instances(id),
            m,
            (runId, taskId) => (taskId === null ? m.selectRun(runId) : m.selectTask(taskId, runId)),
          ),
        ),
      );
    if (m.taskId !== null)
      parts.push(drawTask(doc, m.instance(m.runId, m.taskId), m.taskId, m.log, this.openArtifact));
    const oldLog = this.content.querySelector('.tsfx-dag-log');
    const following = !oldLog || oldLog.scrollTop + oldLog.clientHeight >= oldLog.scrollHeight - 4;
    this.content.replaceChildren(...parts);
    const log = this.content.querySelector('.tsfx-dag-log');
    if (log && following) log.scrollTop = log.scrollHeight;
  }

  private openForm(): void {
    const m = this.model;
    const dagId = m.dagId;
    if (dagId === null) return;
    this.formFor = dagId;
    const doc = this.node.ownerDocument;
    this.form.replaceChildren(
      drawTriggerForm(
        doc,
        m.detail?.params ?? {},
        (conf) => {
          this.closeForm();
          void m.trigger(dagId, conf);
        },
        () => this.closeForm(),
      ),
    );
  }

  private closeForm(): void {
    this.formFor = null;
    this.form.replaceChildren();
  }
}
