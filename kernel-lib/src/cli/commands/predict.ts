import type { ValueType } from '@tsfx/protocol';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { scanCsv } from '../../csv/scanCsv';
import { InputError, TsfxError } from '../../errors';
import type { RawRow, Value } from '../../transform/graph';
import { parquetColumns, readParquetRows } from '../../transform/rows';
import { loadTf } from '../../trainer/backend';
import { loadServingBundle } from '../../trainer/servingBundle';
import type { CliCommand } from '../command';
import { writeTextOutput } from './output';

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'score raw rows (CSV or Parquet) with a Model artifact: one probability per row',
  usage: 'tsfx predict --model <model-uri> <input.csv|input.parquet|folder> [--out FILE]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { model: { type: 'string' }, out: { type: 'string' } },
    });
    if (!values.model || positionals.length !== 1) throw new TsfxError(`usage: ${this.usage}`);
    const { tf } = await loadTf('auto');
    const bundle = await loadServingBundle(tf, values.model);
    const rows = await readRawInput(positionals[0], bundle.manifest.rawFeatures);
    const probabilities = bundle.predictRaw(rows);
    const lines = ['probability'];
    for (const p of probabilities) lines.push(String(p));
    writeTextOutput(`${lines.join('\n')}\n`, values.out);
    if (values.out) console.error(`${rows.length} rows scored to ${values.out}`);
    return 0;
  },
};

/** The input files: the file itself, or a folder's `*.csv` or `*.parquet` files sorted by name. */
function inputFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new TsfxError(`${path} does not exist`);
  }
  if (stat.isFile()) return [path];
  const names = readdirSync(path).sort();
  const parquet = names.filter((n) => n.endsWith('.parquet')).map((n) => join(path, n));
  const csv = names.filter((n) => n.toLowerCase().endsWith('.csv')).map((n) => join(path, n));
  if (parquet.length > 0 && csv.length > 0) {
    throw new TsfxError(`${path} holds both CSV and Parquet files: score one kind at a time`);
  }
  const files = parquet.length > 0 ? parquet : csv;
  if (files.length === 0) throw new TsfxError(`no *.csv or *.parquet files in ${path}`);
  return files;
}

/**
 * Raw rows of CSV or Parquet input, in input order, with the features the model reads typed as
 * the schema says (CSV: empty is missing; a value that is not of its type is an error naming its
 * file, line and column).
 */
export async function readRawInput(
  path: string,
  features: readonly { name: string; type: ValueType }[],
): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for (const file of inputFiles(path)) {
    if (file.endsWith('.parquet')) {
      const present = new Set((await parquetColumns([file])).map((c) => c.name));
      const missing = features.filter((f) => !present.has(f.name)).map((f) => f.name);
      if (missing.length > 0) {
        throw new TsfxError(`${file}: no column ${missing.join(', ')} (the model reads it)`);
      }
      // Chunk by chunk: spreading a whole file's rows into push() overflows the call stack.
      const names = features.map((f) => f.name);
      for await (const chunk of readParquetRows([file], names)) {
        for (const row of chunk) rows.push(row);
      }
      continue;
    }
    let indices: number[] = [];
    await scanCsv(file, {
      onHeader(columns) {
        const missing = features.filter((f) => !columns.includes(f.name)).map((f) => f.name);
        if (missing.length > 0) {
          throw new InputError(
            file,
            1,
            null,
            `no column ${missing.join(', ')} (the model reads it)`,
          );
        }
        indices = features.map((f) => columns.indexOf(f.name));
      },
      onRecord(fields, line) {
        const row: RawRow = {};
        features.forEach((feature, i) => {
          row[feature.name] = parseField(fields[indices[i]], feature, file, line, indices[i] + 1);
        });
        rows.push(row);
      },
    });
  }
  return rows;
}

function parseField(
  text: string,
  feature: { name: string; type: ValueType },
  file: string,
  line: number,
  field: number,
): Value {
  if (text === '') return null;
  if (feature.type === 'STRING') return text;
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  const ok =
    feature.type === 'INT'
      ? Number.isInteger(value) && /^[+-]?\d+$/.test(trimmed)
      : !Number.isNaN(value);
  if (!ok) {
    throw new InputError(
      file,
      line,
      null,
      `field ${field} (${feature.name}): ${JSON.stringify(text)} is not ${feature.type === 'INT' ? 'an INT' : 'a FLOAT'}`,
    );
  }
  return value;
}
