/// <reference lib="dom" />
// Shared by the statistics renderer's tests: the taxi pipeline's statistics (fixtures/
// statistics.json: the train and eval datasets of StatisticsGen's FeatureStats.json), rendering
// in jsdom, and looking up what was drawn.
import assert from 'node:assert/strict';
import { rendererFor, renderPayload } from '../../../../extension/src/registry';
import { parsePayload, type StatisticsPayload } from '@tsfx/protocol';
import { TAXI_COLUMNS, TAXI_STRING_COLUMNS } from '../../../helpers';
import { fixture, newDocument } from '../../render-helpers';

/** The fixture as a renderer receives it: checked, defaults filled in. */
export const taxi = (): StatisticsPayload => parsePayload('statistics', fixture('statistics.json'));

export function render(data: unknown): HTMLElement {
  const { document } = newDocument();
  const host = document.createElement('div');
  document.body.append(host);
  renderPayload(rendererFor('statistics'), host, data);
  return host;
}

/** Feature names in the order the table of `kind` shows them. */
export function shown(host: HTMLElement, kind: 'numeric' | 'categorical'): string[] {
  return [...host.querySelectorAll(`.tsfx-stats-${kind} tbody.tsfx-stats-feature`)].map(
    (b) => b.getAttribute('data-feature') ?? '',
  );
}

export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new select.ownerDocument.defaultView!.Event('change'));
}

export function check(box: HTMLInputElement): void {
  box.click(); // toggles `checked` and fires change
}

export function body(host: HTMLElement, feature: string): HTMLTableSectionElement {
  const b = host.querySelector<HTMLTableSectionElement>(
    `tbody.tsfx-stats-feature[data-feature="${feature}"]`,
  );
  assert.ok(b, `feature ${feature} is shown`);
  return b;
}

export function bars(host: HTMLElement, feature: string, dataset?: string): SVGRectElement[] {
  const sel = dataset ? `rect.tsfx-stats-bar[data-dataset="${dataset}"]` : 'rect.tsfx-stats-bar';
  return [...body(host, feature).querySelectorAll<SVGRectElement>(sel)];
}

export const values = (rects: SVGRectElement[], attr = 'data-value'): number[] =>
  rects.map((r) => Number(r.getAttribute(attr)));

/** The numeric taxi features, in column order. */
export const TAXI_ORDER = TAXI_COLUMNS.filter((name) => !TAXI_STRING_COLUMNS.includes(name));
