import { readSplitSamples } from '../examples/parquetExamples';
import { splitNames } from '../artifacts/splits';
import type { ArtifactRecord } from '../metadata/types';
import { artifactLine } from './format';
import { htmlTable } from './html';
import { timestampFormat } from '@tsfx/protocol';
import type { ArtifactRef, CellValue, ExamplesPayload, TimeFormats } from '@tsfx/protocol';

export const DEFAULT_SAMPLE_ROWS = 10;

/**
 * The examples payload: split names, row counts and the first rows of each split; the columns a
 * schema marks as Unix times (`timeFormats`), if given.
 */
export async function examplesPayload(
  artifact: ArtifactRecord,
  producer: string | null,
  options: { sampleRows?: number; timeFormats?: TimeFormats } = {},
): Promise<ExamplesPayload> {
  const { sampleRows = DEFAULT_SAMPLE_ROWS, timeFormats } = options;
  const samples = await readSplitSamples(artifact.uri, splitNames(artifact), sampleRows);
  return {
    kind: 'examples',
    artifact: artifactRef(artifact, producer),
    columns: samples[0]?.columns ?? [],
    splits: samples.map((s) => ({ name: s.name, numRows: s.numRows, sampleRows: s.rows })),
    ...(timeFormats && Object.keys(timeFormats).length > 0 ? { timeFormats } : {}),
  };
}

export function artifactRef(artifact: ArtifactRecord, producer: string | null): ArtifactRef {
  return { id: artifact.id, type: artifact.type, uri: artifact.uri, producer };
}

/**
 * The sample rows with the INT columns that hold Unix times (by the schema's time domain, or by
 * name and range) written as dates, as the JupyterLab view writes them.
 */
function datedRows(payload: ExamplesPayload, rows: readonly (readonly CellValue[])[]): unknown[][] {
  const dates = payload.columns.map((c, j) => {
    if (c.type !== 'INT') return undefined;
    const numbers = rows.flatMap((row) => {
      const v = row[j];
      return typeof v === 'number' ? [v] : [];
    });
    if (numbers.length === 0) return undefined;
    const [min, max] = [Math.min(...numbers), Math.max(...numbers)];
    return timestampFormat(c.name, min, max, payload.timeFormats?.[c.name]);
  });
  return rows.map((row) =>
    row.map((v, j) => {
      const date = dates[j];
      return date && typeof v === 'number' ? date(v) : v;
    }),
  );
}

export function examplesHtml(payload: ExamplesPayload): string {
  const total = payload.splits.reduce((a, s) => a + s.numRows, 0);
  const summary = htmlTable(
    ['split', 'rows', 'share'],
    payload.splits.map((s) => [
      s.name,
      s.numRows,
      total ? `${((100 * s.numRows) / total).toFixed(1)}%` : '—',
    ]),
  );
  const headers = payload.columns.map((c) => `${c.name} (${c.type})`);
  const samples = payload.splits
    .map(
      (s) =>
        `<div style="overflow-x:auto;max-width:100%">${htmlTable(
          headers,
          datedRows(payload, s.sampleRows),
          {
            caption: `Split ${s.name}: first ${s.sampleRows.length} of ${s.numRows} rows`,
          },
        )}</div>`,
    )
    .join('\n');
  return `<div class="tsfx-examples-fallback">
<p><b>Examples</b> ${artifactLine(payload.artifact)}</p>
${summary}
${samples}
</div>`;
}
