import { readSplitSamples } from '../examples/parquetExamples';
import { splitNames } from '../artifacts/splits';
import type { ArtifactRecord } from '../metadata/types';
import { artifactLine } from './format';
import { htmlTable } from './html';
import type { ArtifactRef, ExamplesPayload } from '@tsfx/protocol';

export const DEFAULT_SAMPLE_ROWS = 10;

/** The examples payload: split names, row counts and the first rows of each split. */
export async function examplesPayload(
  artifact: ArtifactRecord,
  producer: string | null,
  sampleRows = DEFAULT_SAMPLE_ROWS,
): Promise<ExamplesPayload> {
  const samples = await readSplitSamples(artifact.uri, splitNames(artifact), sampleRows);
  return {
    kind: 'examples',
    artifact: artifactRef(artifact, producer),
    columns: samples[0]?.columns ?? [],
    splits: samples.map((s) => ({ name: s.name, numRows: s.numRows, sampleRows: s.rows })),
  };
}

export function artifactRef(artifact: ArtifactRecord, producer: string | null): ArtifactRef {
  return { id: artifact.id, type: artifact.type, uri: artifact.uri, producer };
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
        `<div style="overflow-x:auto;max-width:100%">${htmlTable(headers, s.sampleRows, {
          caption: `Split ${s.name}: first ${s.sampleRows.length} of ${s.numRows} rows`,
        })}</div>`,
    )
    .join('\n');
  return `<div class="tsfx-examples-fallback">
<p><b>Examples</b> ${artifactLine(payload.artifact)}</p>
${summary}
${samples}
</div>`;
}
