/**
 * What a chart's slices show below it: the raw data table (Facets' "show raw data") and the
 * slice a click selected, highlighted in the chart with its range or value and its counts.
 */
import { h } from '../../dom.js';
import type { ChartOptions } from './chartFrame.js';
import type { FeatureKind } from './features.js';
import { formatShare, formatStat } from './format.js';
import type { Slice } from './slices.js';

/** Counts are whole except where re-bucketing onto common edges split a bucket. */
const countText = (c: number): string => formatStat(Math.round(c * 10) / 10);

/** The table of every slice: its range or value, and per dataset shown its count and share. */
export function rawTable(
  doc: Document,
  kind: FeatureKind,
  slices: readonly Slice[],
  o: ChartOptions,
  selected: string | undefined,
): HTMLElement {
  const datasets = slices[0]?.counts.map((c) => o.datasetNames[c.d] ?? '') ?? [];
  const head = h(
    doc,
    'tr',
    undefined,
    h(doc, 'th', { scope: 'col' }, kind === 'numeric' ? 'bucket' : 'value'),
    ...datasets.flatMap((name) => [
      h(doc, 'th', { scope: 'col', class: 'tsfx-num' }, `${name} count`),
      h(doc, 'th', { scope: 'col', class: 'tsfx-num' }, 'share'),
    ]),
  );
  const rows = slices.map((slice) =>
    h(
      doc,
      'tr',
      {
        'data-slice': slice.key,
        class: slice.key === selected ? 'tsfx-stats-selected' : undefined,
      },
      h(doc, 'td', { class: 'tsfx-str' }, slice.label),
      ...slice.counts.flatMap((c) => [
        h(doc, 'td', { class: 'tsfx-num' }, countText(c.count)),
        h(doc, 'td', { class: 'tsfx-num' }, formatShare(c.share)),
      ]),
    ),
  );
  return h(
    doc,
    'div',
    { class: 'tsfx-stats-raw' },
    h(
      doc,
      'table',
      { class: 'tsfx-table tsfx-stats-raw-table' },
      h(doc, 'thead', undefined, head),
      h(doc, 'tbody', undefined, ...rows),
    ),
  );
}

/** The selected slice: its range or value and per dataset shown its count and share. */
export function selectionLine(doc: Document, slice: Slice, o: ChartOptions): HTMLElement {
  const counts = slice.counts
    .map((c) => `${o.datasetNames[c.d] ?? ''} ${countText(c.count)} (${formatShare(c.share)})`)
    .join(' · ');
  return h(
    doc,
    'div',
    { class: 'tsfx-stats-selection', 'data-slice': slice.key, role: 'status' },
    h(doc, 'b', undefined, slice.label),
    `: ${counts}`,
  );
}

/** Marks the bars (and hit area) of slice `key` in a chart as selected. */
export function markSelected(svg: SVGSVGElement, kind: FeatureKind, key: string): void {
  const marked =
    kind === 'numeric'
      ? svg.querySelectorAll(`[data-bucket="${key}"]`)
      : [...svg.querySelectorAll<SVGGElement>('g.tsfx-stats-value')]
          .filter((g) => g.dataset['valueLabel'] === key)
          .flatMap((g) => [...g.querySelectorAll('rect')]);
  for (const el of marked) el.classList.add('tsfx-stats-selected');
}

/** The slice key of a click's target in a chart: a bucket index or a value; null outside. */
export function sliceKeyAt(target: EventTarget | null): string | null {
  // Not `instanceof Element`: the chart may live in another window's document (jsdom, iframes).
  const el = target as Partial<Element> | null;
  if (typeof el?.closest !== 'function') return null;
  const bucket = el.closest('[data-bucket]');
  if (bucket) return bucket.getAttribute('data-bucket');
  const value = el.closest('g.tsfx-stats-value');
  return value ? value.getAttribute('data-value-label') : null;
}
