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
  Measurement,
  Reason,
  Severity,
} from '../payloads.js';
import type { RendererSpec } from '../types.js';
import { formatValue, h, tableHead, viewHeader } from '../dom.js';
import { array, boolean, number, oneOf, PayloadError, record, string } from '../validate.js';
import { artifactLine, parseArtifact } from '../artifact.js';

const SEVERITIES: readonly Severity[] = ['UNKNOWN', 'WARNING', 'ERROR'];

function optString(v: unknown, path: string): string {
  return v === undefined ? '' : string(v, path);
}

function parsePath(v: unknown, path: string): { step: string[] } {
  const r = record(v, path);
  return {
    step: (r['step'] === undefined ? [] : array(r['step'], `${path}.step`)).map((x, i) =>
      string(x, `${path}.step[${i}]`),
    ),
  };
}

function parseInfo(v: unknown, path: string): AnomalyInfo {
  const r = record(v, path);
  const info: AnomalyInfo = {
    severity:
      r['severity'] === undefined
        ? 'UNKNOWN'
        : oneOf(SEVERITIES)(r['severity'], `${path}.severity`),
    description: optString(r['description'], `${path}.description`),
    shortDescription: optString(r['shortDescription'], `${path}.shortDescription`),
    reason: (r['reason'] === undefined ? [] : array(r['reason'], `${path}.reason`)).map(
      (x, i): Reason => {
        const p = `${path}.reason[${i}]`;
        const reason = record(x, p);
        return {
          // The type is shown as it is: newer TFDV versions add types tsfx does not produce.
          type: optString(reason['type'], `${p}.type`) as Reason['type'],
          shortDescription: optString(reason['shortDescription'], `${p}.shortDescription`),
          description: optString(reason['description'], `${p}.description`),
        };
      },
    ),
  };
  if (r['path'] !== undefined) info.path = parsePath(r['path'], `${path}.path`);
  return info;
}

function parseMeasurements(v: unknown, path: string): Measurement[] {
  return array(v, path).map((x, i) => {
    const p = `${path}[${i}]`;
    const m = record(x, p);
    return {
      type: oneOf(['L_INFTY', 'JENSEN_SHANNON_DIVERGENCE'] as const)(m['type'], `${p}.type`),
      value: m['value'] === undefined ? 0 : number(m['value'], `${p}.value`),
      threshold: m['threshold'] === undefined ? 0 : number(m['threshold'], `${p}.threshold`),
    };
  });
}

function parseAnomalies(v: unknown, path: string): Anomalies {
  const r = record(v, path);
  const infos =
    r['anomalyInfo'] === undefined ? {} : record(r['anomalyInfo'], `${path}.anomalyInfo`);
  const anomalyInfo: Record<string, AnomalyInfo> = {};
  for (const [key, info] of Object.entries(infos))
    anomalyInfo[key] = parseInfo(info, `${path}.anomalyInfo[${JSON.stringify(key)}]`);
  const out: Anomalies = {
    // The baseline schema is not shown (the schema view shows it).
    baseline: { feature: [] },
    anomalyInfo,
  };
  if (r['datasetAnomalyInfo'] !== undefined)
    out.datasetAnomalyInfo = parseInfo(r['datasetAnomalyInfo'], `${path}.datasetAnomalyInfo`);
  if (r['dataMissing'] !== undefined)
    out.dataMissing = boolean(r['dataMissing'], `${path}.dataMissing`);
  if (r['driftSkewInfo'] !== undefined)
    out.driftSkewInfo = array(r['driftSkewInfo'], `${path}.driftSkewInfo`).map(
      (x, i): DriftSkewInfo => {
        const p = `${path}.driftSkewInfo[${i}]`;
        const d = record(x, p);
        const info: DriftSkewInfo = { path: parsePath(d['path'] ?? {}, `${p}.path`) };
        if (d['driftMeasurements'] !== undefined)
          info.driftMeasurements = parseMeasurements(
            d['driftMeasurements'],
            `${p}.driftMeasurements`,
          );
        if (d['skewMeasurements'] !== undefined)
          info.skewMeasurements = parseMeasurements(d['skewMeasurements'], `${p}.skewMeasurements`);
        return info;
      },
    );
  return out;
}

export function parseAnomaliesPayload(data: unknown): AnomaliesPayload {
  const r = record(data, 'payload');
  if (r['kind'] !== 'anomalies') throw new PayloadError('payload.kind', '"anomalies"', r['kind']);
  return {
    kind: 'anomalies',
    artifact: parseArtifact(r['artifact'], 'payload.artifact'),
    splits: array(r['splits'], 'payload.splits').map((x, i) => {
      const p = `payload.splits[${i}]`;
      const split = record(x, p);
      return {
        name: string(split['name'], `${p}.name`),
        anomalies: parseAnomalies(split['anomalies'], `${p}.anomalies`),
      };
    }),
  };
}

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
  parse: parseAnomaliesPayload,
  render: renderAnomalies,
};
