/**
 * TensorBoard's run comparison in the training view: a payload with `modelRuns` overlays several
 * ModelRun artifacts, whose runs are named `<model run>/<run>`. Each model run has one colour
 * (its runs share it; the line style tells train, train per epoch and validation apart, see the
 * stylesheet), and the legend has a button per model run, which hides or shows all its runs, and
 * one per kind of run, which hides or shows that run in every model run.
 */
import { formatCount, modelRunOf } from '@tsfx/protocol';
import type { TrainingPayload } from '@tsfx/protocol';
import { h } from '../../dom.js';
import { formatMetric } from './format.js';
import type { RunInfo } from './lines.js';
import type { TrainingModel } from './model.js';

/** Theme colour slots (`.tsfx-ds-<n>`), one per model run in order. */
const SLOTS = 6;

/** The runs of a comparison, coloured by their model run. */
export function comparisonRunInfos(payload: TrainingPayload): RunInfo[] {
  const models = payload.modelRuns ?? [];
  return payload.runs.map((run) => {
    const model = modelRunOf(payload, run.name);
    return { name: run.name, colour: model ? models.indexOf(model) % SLOTS : 0 };
  });
}

/** The part of a run's name after its model run's (`validation`). */
const kindOf = (payload: TrainingPayload, run: string): string => {
  const model = modelRunOf(payload, run);
  return model ? run.slice(model.name.length + 1) : run;
};

function lastValidation(payload: TrainingPayload, name: string, tag: string): number | null {
  const points = payload.runs
    .find((r) => r.name === `${name}/validation`)
    ?.series.find((s) => s.tag === tag)?.points;
  return points && points.length > 0 ? points[points.length - 1]!.value : null;
}

/** The legend of a comparison: a toggle per model run, then a toggle per kind of run. */
export function comparisonLegend(
  doc: Document,
  model: TrainingModel,
  payload: TrainingPayload,
  runs: readonly RunInfo[],
  redraw: () => void,
): HTMLElement {
  const groups: { button: HTMLButtonElement; runs: string[] }[] = [];
  const refresh = (): void => {
    for (const g of groups) {
      const shown = g.runs.some((r) => !model.isHidden(r));
      g.button.setAttribute('aria-pressed', String(shown));
    }
  };
  const toggle = (button: HTMLButtonElement, members: string[]): HTMLButtonElement => {
    groups.push({ button, runs: members });
    button.addEventListener('click', () => {
      const hide = members.some((r) => !model.isHidden(r));
      for (const r of members) if (model.isHidden(r) !== hide) model.toggleRun(r);
      refresh();
      redraw();
    });
    return button;
  };
  const models = (payload.modelRuns ?? []).map((m, i) => {
    const members = runs.filter((r) => modelRunOf(payload, r.name) === m).map((r) => r.name);
    const auc = lastValidation(payload, m.name, 'auc');
    const facts = [m.status, `step ${formatCount(m.progress.step)}`];
    if (auc !== null) facts.push(`validation auc ${formatMetric(auc)}`);
    const button = h(
      doc,
      'button',
      {
        class: `tsfx-training-run tsfx-training-model-run tsfx-ds-${i % SLOTS}`,
        type: 'button',
        'data-model-run': m.name,
        'data-control': `model-run:${m.name}`,
        title: `${m.artifact?.uri ?? m.name}; click to show or hide its runs`,
      },
      h(doc, 'span', { class: 'tsfx-training-swatch' }),
      h(doc, 'span', { class: 'tsfx-training-run-name' }, m.name),
      h(doc, 'span', { class: 'tsfx-training-run-facts' }, facts.join(' · ')),
    );
    return toggle(button, members);
  });
  const kinds = [...new Set(runs.map((r) => kindOf(payload, r.name)))].map((kind) => {
    const members = runs.filter((r) => kindOf(payload, r.name) === kind).map((r) => r.name);
    const button = h(
      doc,
      'button',
      {
        class: 'tsfx-training-run tsfx-training-run-kind',
        type: 'button',
        'data-run-kind': kind,
        'data-control': `run-kind:${kind}`,
        title: `${kind} of every model run; click to show or hide`,
      },
      h(doc, 'span', { class: 'tsfx-training-swatch' }),
      h(doc, 'span', { class: 'tsfx-training-run-name' }, kind),
    );
    return toggle(button, members);
  });
  refresh();
  return h(
    doc,
    'div',
    {
      class: 'tsfx-legend tsfx-training-legend tsfx-training-comparison',
      role: 'group',
      'aria-label': 'Model runs',
    },
    ...models,
    h(doc, 'span', { class: 'tsfx-legend-hint' }, '·'),
    ...kinds,
  );
}
