/**
 * Anomalies: per split, a table of the anomalous features with the short and the long
 * description and the severity (ERROR in the theme's error colour), or "No anomalies found".
 * Drift and skew measurements, when the validation compared datasets, are listed under it.
 */
import { ANOMALIES_MIME_TYPE } from '@tsfx/protocol';
import type {
  Anomalies,
  AnomaliesPayload,
  AnomalyInfo,
  DriftSkewInfo,
  Severity,
} from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, tableHead, viewHeader } from '../dom.js';
import { formatValue } from '@tsfx/protocol';
import { artifactLine } from '../artifact.js';

/** The anomalies of a split as rows: the dataset-level one first, then by feature name. */
export function anomalyRows(
  a: Anomalies,
): { feature: string; info: AnomalyInfo; dataset: boolean }[] {
  const rows = Object.entries(a.anomalyInfo)
    .map(([key, info]) => ({
      feature: info.path && info.path.step.length > 0 ? info.path.step.join('.') : key,
      info,
      dataset: false,
    }))
    .sort((x, y) => (x.feature < y.feature ? -1 : x.feature > y.feature ? 1 : 0));
  if (a.datasetAnomalyInfo)
    rows.unshift({ feature: '(dataset)', info: a.datasetAnomalyInfo, dataset: true });
  return rows;
}

function longDescription(doc: Document, info: AnomalyInfo): HTMLTableCellElement {
  const reasons = info.reason.filter((r) => r.type || r.description);
  const td = h(doc, 'td', { class: 'tsfx-anomaly-long' });
  if (reasons.length <= 1) {
    td.append(info.description || reasons[0]?.description || '');
  } else {
    td.append(
      h(
        doc,
        'ul',
        { class: 'tsfx-anomaly-reasons' },
        ...reasons.map((r) => h(doc, 'li', undefined, r.description || r.shortDescription)),
      ),
    );
  }
  const types = [...new Set(reasons.map((r) => r.type).filter(Boolean))];
  if (types.length > 0)
    td.append(
      h(
        doc,
        'div',
        { class: 'tsfx-anomaly-types' },
        ...types.map((t) => h(doc, 'code', undefined, t)),
      ),
    );
  return td;
}

function severityClass(s: Severity): string {
  return `tsfx-severity tsfx-severity-${s.toLowerCase()}`;
}

function measurementsTable(doc: Document, infos: readonly DriftSkewInfo[]): HTMLElement | null {
  const rows = infos.flatMap((info) => {
    const feature = info.path.step.join('.');
    return [
      ...(info.driftMeasurements ?? []).map((m) => ({ feature, kind: 'drift', m })),
      ...(info.skewMeasurements ?? []).map((m) => ({ feature, kind: 'skew', m })),
    ];
  });
  if (rows.length === 0) return null;
  return h(
    doc,
    'table',
    { class: 'tsfx-table tsfx-anomalies-measurements' },
    tableHead(doc, ['feature', 'comparison', 'measure', 'value', 'threshold']),
    h(
      doc,
      'tbody',
      undefined,
      ...rows.map(({ feature, kind, m }) =>
        h(
          doc,
          'tr',
          { class: m.value > m.threshold ? 'tsfx-anomaly-over' : undefined },
          h(doc, 'th', { scope: 'row' }, feature),
          h(doc, 'td', undefined, kind),
          h(doc, 'td', undefined, m.type === 'L_INFTY' ? 'L∞' : 'Jensen–Shannon'),
          h(doc, 'td', { class: 'tsfx-num' }, formatValue(m.value)),
          h(doc, 'td', { class: 'tsfx-num' }, formatValue(m.threshold)),
        ),
      ),
    ),
  );
}

function splitSection(
  doc: Document,
  split: AnomaliesPayload['splits'][number],
): { el: HTMLElement; count: number } {
  const rows = anomalyRows(split.anomalies);
  const count = rows.length;
  const body: (HTMLElement | null)[] = [];
  if (split.anomalies.dataMissing)
    body.push(h(doc, 'div', { class: 'tsfx-anomalies-missing' }, 'No data in this split.'));
  if (count === 0) {
    body.push(
      h(doc, 'div', { class: 'tsfx-anomalies-none', role: 'status' }, 'No anomalies found'),
    );
  } else {
    body.push(
      h(
        doc,
        'table',
        { class: 'tsfx-table tsfx-anomalies-table' },
        tableHead(doc, ['feature', 'short description', 'long description', 'severity']),
        h(
          doc,
          'tbody',
          undefined,
          ...rows.map(({ feature, info, dataset }) =>
            h(
              doc,
              'tr',
              {
                'data-feature': feature,
                class: `tsfx-anomaly tsfx-anomaly-${info.severity.toLowerCase()}`,
              },
              h(
                doc,
                'th',
                { scope: 'row', class: dataset ? 'tsfx-anomaly-dataset' : undefined },
                feature,
              ),
              h(
                doc,
                'td',
                { class: 'tsfx-anomaly-short' },
                info.shortDescription || info.reason[0]?.shortDescription || '',
              ),
              longDescription(doc, info),
              h(doc, 'td', { class: severityClass(info.severity) }, info.severity),
            ),
          ),
        ),
      ),
    );
  }
  body.push(measurementsTable(doc, split.anomalies.driftSkewInfo ?? []));
  const el = h(
    doc,
    'section',
    { class: 'tsfx-anomalies-split', 'data-split': split.name },
    h(
      doc,
      'div',
      { class: 'tsfx-anomalies-split-title' },
      h(doc, 'span', { class: 'tsfx-split-name' }, split.name),
      h(
        doc,
        'span',
        { class: count > 0 ? 'tsfx-anomalies-count tsfx-has-anomalies' : 'tsfx-anomalies-count' },
        count === 0 ? 'no anomalies' : `${count} anomal${count === 1 ? 'y' : 'ies'}`,
      ),
    ),
    ...body,
  );
  return { el, count };
}

export function renderAnomalies(host: HTMLElement, payload: AnomaliesPayload): void {
  const doc = host.ownerDocument;
  const sections = payload.splits.map((sp) => splitSection(doc, sp));
  const total = sections.reduce((a, s) => a + s.count, 0);
  const affected = sections.filter((s) => s.count > 0).length;
  const summary =
    total === 0
      ? payload.splits.length === 0
        ? 'no splits'
        : 'No anomalies found'
      : `${total} anomal${total === 1 ? 'y' : 'ies'} in ${affected} of ${payload.splits.length} split${payload.splits.length === 1 ? '' : 's'}`;
  const root = h(
    doc,
    'div',
    {
      class: `tsfx-view tsfx-anomalies${total > 0 ? ' tsfx-has-anomalies' : ''}`,
      'data-artifact-id': payload.artifact.id,
    },
    viewHeader(doc, 'Anomalies', summary, 'tsfx-subtitle tsfx-anomalies-summary'),
    artifactLine(doc, payload.artifact),
    ...sections.map((s) => s.el),
  );
  host.append(root);
}

export const anomaliesRenderer: RendererSpec<'anomalies'> = {
  kind: 'anomalies',
  mimeType: ANOMALIES_MIME_TYPE,
  rootClass: 'tsfx-anomalies',
  render: renderAnomalies,
};
