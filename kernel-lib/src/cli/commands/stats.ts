import { existsSync, readdirSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { scanCsv } from '../../csv/scanCsv';
import { TsfxError } from '../../errors';
import { splitParquetFiles } from '../../examples/parquetExamples';
import { generateStatisticsJson } from '../../statistics/generate';
import type {
  DatasetFeatureStatisticsJson,
  DatasetFeatureStatisticsListJson,
} from '@tsfx/protocol';
import type { CliCommand } from '../command';
import { writeJsonOutput } from './output';

export const statsCommand: CliCommand = {
  name: 'stats',
  summary:
    "compute TFDV's statistics of a CSV file, a Parquet file or folder, or an Examples artifact",
  usage: 'tsfx stats <file.csv|file.parquet|examples-uri> [--out FILE]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new TsfxError(`usage: ${this.usage}`);
    writeJsonOutput(await statisticsOf(positionals[0]), values.out);
    return 0;
  },
};

/** Statistics of a CSV file, a Parquet file or folder, or every split of an Examples artifact's folder. */
export async function statisticsOf(path: string): Promise<DatasetFeatureStatisticsListJson> {
  if (!existsSync(path)) throw new TsfxError(`${path} does not exist`);
  if (statSync(path).isDirectory()) {
    const splits = readdirSync(path)
      .filter((name) => name.startsWith('Split-'))
      .map((name) => name.slice('Split-'.length));
    if (splits.length > 0) {
      const ordered = orderedSplits(splits);
      const datasets: DatasetFeatureStatisticsJson[] = [];
      for (const split of ordered) {
        const list = await generateStatisticsJson(
          { parquet: splitParquetFiles(path, split) },
          { datasetName: split },
        );
        datasets.push(...(list.datasets ?? []));
      }
      return { datasets };
    }
    return generateStatisticsJson(path);
  }
  if (/\.csv$/i.test(path)) return csvStatistics(path);
  return generateStatisticsJson(path);
}

/** `train` and `eval` first (TFX's default splits), then the others by name. */
function orderedSplits(splits: string[]): string[] {
  const rank = (split: string): number => {
    const i = ['train', 'eval'].indexOf(split);
    return i === -1 ? 2 : i;
  };
  return [...splits].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * DuckDB reads the CSV (fast path). If it refuses the file, tsfx's own scanner reads it again to
 * say exactly where and why, in one line; only if the scanner finds nothing is DuckDB's message used.
 */
async function csvStatistics(file: string): Promise<DatasetFeatureStatisticsListJson> {
  try {
    return await generateStatisticsJson({ csv: file });
  } catch (error) {
    await scanCsv(file, { onRecord() {} });
    throw error;
  }
}
