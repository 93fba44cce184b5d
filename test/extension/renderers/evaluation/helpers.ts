/// <reference lib="dom" />
// Shared by the evaluation renderers' tests: the payloads of a real taxi run (fixtures/
// evaluation.json and its neighbours, by fixtures/generate.ts: the Evaluator with the taxi
// EvalConfig on a 400-step model against a 100-step baseline, its blessing, the Pusher's output,
// the pipeline's history), rendering in jsdom and reading back what was drawn.
import type {
  BlessingPayload,
  EvaluationHistoryPayload,
  EvaluationPayload,
  PushedModelPayload,
  ViewKind,
} from '@tsfx/protocol';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import { fixture, newDocument } from '../../render-helpers';

export const evaluation = (): EvaluationPayload => fixture('evaluation.json') as EvaluationPayload;
export const history = (): EvaluationHistoryPayload =>
  fixture('evaluation-history.json') as EvaluationHistoryPayload;
export const blessing = (): BlessingPayload => fixture('blessing.json') as BlessingPayload;
export const pushedModel = (): PushedModelPayload =>
  fixture('pushed-model.json') as PushedModelPayload;

export function newHost(): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  return host;
}

export function render(kind: ViewKind, data: unknown, host = newHost()): HTMLElement {
  renderPayload(rendererFor(kind), host, data);
  return host;
}

/** Sets a control's value and sends the event its listener waits for. */
export function setControl(
  host: HTMLElement,
  control: string,
  value: string,
  event = 'change',
): void {
  const el = host.querySelector<HTMLInputElement | HTMLSelectElement>(
    `[data-control="${control}"]`,
  );
  if (!el) throw new Error(`no control ${control}`);
  el.value = value;
  el.dispatchEvent(new host.ownerDocument.defaultView!.Event(event, { bubbles: true }));
}

/** The slice names of the table's rows, in order. */
export const tableSlices = (host: HTMLElement): string[] =>
  [...host.querySelectorAll('.tsfx-eval-table tbody tr')].map((tr) =>
    tr.getAttribute('data-slice')!,
  );

/** The candidate values of a metric column, in row order (as drawn text). */
export function columnTexts(host: HTMLElement, metric: string): string[] {
  const headers = [...host.querySelectorAll('.tsfx-eval-table thead th')];
  const k = headers.findIndex(
    (th) => th.querySelector('button')?.getAttribute('data-sort') === metric,
  );
  if (k < 0) throw new Error(`no column ${metric}`);
  return [...host.querySelectorAll('.tsfx-eval-table tbody tr')].map(
    (tr) => tr.children[k]?.querySelector('.tsfx-eval-value')?.textContent ?? '',
  );
}
