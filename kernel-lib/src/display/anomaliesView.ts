import type { AnomalyInfo, Anomalies, Severity } from '@tsfx/protocol';
import {
  MUTED_STYLE,
  RED,
  SUSPICIOUS_STYLE,
  artifactLine,
  artifactText,
  styledTable,
  textCell,
  textTable,
  type Cell,
} from './format';
import { escapeHtml } from './html';
import type { AnomaliesPayload } from '@tsfx/protocol';

/**
 * The static view of an ExampleAnomalies artifact, as `tfdv.display_anomalies` shows it: per
 * split a table of feature, short description, long description and severity (errors in red,
 * warnings in amber), the dataset-level anomaly first, or a clear "No anomalies found".
 */

export const NO_ANOMALIES = 'No anomalies found';
export const DATA_MISSING = 'No data in this split: nothing was validated';
/** The feature column of a dataset-level anomaly (too few or too many examples). */
export const DATASET_ROW = '(dataset)';

const GREEN = '#2e7d32';
const AMBER = '#b26a00';

interface Row {
  feature: string;
  short: string;
  long: string;
  severity: Severity;
}

/** "Multiple errors: Column dropped; Feature shape dropped" instead of TFDV's bare "Multiple errors". */
function shortOf(info: AnomalyInfo): string {
  if (info.reason.length <= 1) return info.shortDescription;
  return `${info.shortDescription}: ${info.reason.map((r) => r.shortDescription).join('; ')}`;
}

function rowsOf(anomalies: Anomalies): Row[] {
  const row = (feature: string, info: AnomalyInfo): Row => ({
    feature,
    short: shortOf(info),
    long: info.description.trim(),
    severity: info.severity,
  });
  const rows: Row[] = [];
  if (anomalies.datasetAnomalyInfo) rows.push(row(DATASET_ROW, anomalies.datasetAnomalyInfo));
  for (const [name, info] of Object.entries(anomalies.anomalyInfo)) {
    rows.push(row(info.path?.step.join('.') ?? name, info));
  }
  return rows;
}

function counts(rows: Row[]): string {
  const errors = rows.filter((r) => r.severity === 'ERROR').length;
  const warnings = rows.filter((r) => r.severity === 'WARNING').length;
  const other = rows.length - errors - warnings;
  const parts = [
    errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
    other > 0 ? `${other} of unknown severity` : '',
  ].filter(Boolean);
  return `${rows.length} anomal${rows.length === 1 ? 'y' : 'ies'} (${parts.join(', ')})`;
}

const severityStyle = (severity: Severity): string =>
  severity === 'ERROR'
    ? SUSPICIOUS_STYLE
    : severity === 'WARNING'
      ? `color:${AMBER};font-weight:bold`
      : MUTED_STYLE;

function splitHtml(name: string, anomalies: Anomalies): string {
  const title = `<b>Split ${escapeHtml(name)}</b>`;
  if (anomalies.dataMissing) {
    return `<p style="margin:8px 0 2px">${title}: <span style="${SUSPICIOUS_STYLE}">${escapeHtml(DATA_MISSING)}</span></p>`;
  }
  const rows = rowsOf(anomalies);
  if (rows.length === 0) {
    return `<p style="margin:8px 0 2px">${title}: <span style="color:${GREEN};font-weight:bold">✓ ${NO_ANOMALIES}</span></p>`;
  }
  const cells: Cell[][] = rows.map((r) => [
    r.feature === DATASET_ROW
      ? textCell(r.feature, { style: `font-style:italic;${MUTED_STYLE}` })
      : textCell(r.feature, { style: 'font-weight:bold;white-space:nowrap' }),
    textCell(r.short, { style: severityStyle(r.severity) }),
    r.long,
    textCell(r.severity, { style: severityStyle(r.severity) }),
  ]);
  const worst = rows.some((r) => r.severity === 'ERROR') ? RED : AMBER;
  return `<p style="margin:8px 0 2px">${title}: <span style="color:${worst};font-weight:bold">${counts(rows)}</span></p>
${styledTable(['feature', 'short description', 'long description', 'severity'], cells)}`;
}

export function anomaliesHtml(payload: AnomaliesPayload): string {
  const splits =
    payload.splits.length > 0
      ? payload.splits.map((s) => splitHtml(s.name, s.anomalies)).join('\n')
      : `<p style="${MUTED_STYLE}">No splits.</p>`;
  return `<div class="tsfx-anomalies-fallback" style="font-size:12px">
<p><b>Anomalies</b> ${artifactLine(payload.artifact)}</p>
${splits}
</div>`;
}

function splitText(name: string, anomalies: Anomalies): string {
  if (anomalies.dataMissing) return `Split ${name}: ${DATA_MISSING}`;
  const rows = rowsOf(anomalies);
  if (rows.length === 0) return `Split ${name}: ${NO_ANOMALIES}`;
  return [
    `Split ${name}: ${counts(rows)}`,
    textTable(
      ['feature', 'severity', 'short description', 'long description'],
      rows.map((r) => [r.feature, r.severity, r.short, r.long]),
    ),
  ].join('\n');
}

export function anomaliesText(payload: AnomaliesPayload): string {
  return [
    `Anomalies ${artifactText(payload.artifact)}`,
    ...payload.splits.flatMap((s) => ['', splitText(s.name, s.anomalies)]),
  ].join('\n');
}
