import { ValueTypeInference } from '@tsfx/protocol';
import { InputError, TsfxError } from '../errors';
import { bucketOf, rowHash } from './rowBucket';
import { scanCsv } from './scanCsv';
import { SplitParts } from './splitParts';
import type { SplitCsvResult, SplitPlan } from './splitCsv';

/**
 * The careful path: `scanCsv` reads every file (and refuses bad input with file, line and
 * column), the one value-type rule types the values, and each row goes, written out as plain CSV,
 * to the part file of its split, with the same bucket the fast path gives it.
 */
export async function splitCarefully(
  files: string[],
  plan: SplitPlan,
  signal?: AbortSignal,
): Promise<SplitCsvResult> {
  const parts =
    plan.partDir === null ? null : new SplitParts(plan.partDir, plan.numSplits, 'careful');
  const rows = new Array<number>(plan.numSplits).fill(0);
  let header: string[] | null = null;
  let inference: ValueTypeInference | null = null;
  let maxRecordBytes = 0;
  try {
    for (const file of files) {
      await scanCsv(file, {
        onHeader(columns) {
          if (header === null) {
            header = [...columns];
            inference = new ValueTypeInference(columns.length);
          } else if (columns.join('\u0000') !== header.join('\u0000')) {
            throw new InputError(file, 1, 1, `header differs from the header of ${files[0]}`);
          }
        },
        onRecord(fields) {
          inference!.observe(fields);
          if (parts === null) {
            rows[0]++;
            return;
          }
          const split = plan.splitOfBucket[bucketOf(rowHash(fields), plan.totalBuckets)];
          const line = csvLine(fields);
          rows[split]++;
          maxRecordBytes = Math.max(maxRecordBytes, Buffer.byteLength(line));
          parts.text(split, line);
        },
      });
      if (signal?.aborted) throw new TsfxError('interrupted');
    }
  } finally {
    parts?.close();
  }
  return {
    columns: header!,
    types: inference!.types(),
    needsNormalizing: inference!.needsNormalizing,
    rows,
    parts: parts?.paths.map((path) => [path]) ?? [],
    maxRecordBytes,
  };
}

/** A record as a CSV line DuckDB reads back as the same values (a lone empty value quoted). */
function csvLine(fields: string[]): string {
  if (fields.length === 1 && fields[0] === '') return '""\n';
  return `${fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')}\n`;
}
