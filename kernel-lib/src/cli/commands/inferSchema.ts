import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TsfxError } from '../../errors';
import { inferSchema } from '../../schema/infer';
import type { DatasetFeatureStatisticsList } from '../../statistics/proto';
import type { CliCommand } from '../command';
import { writeJsonOutput } from './output';

export const inferSchemaCommand: CliCommand = {
  name: 'infer-schema',
  summary: "infer TFDV's schema from statistics (the first dataset)",
  usage: 'tsfx infer-schema <stats.json> [--out FILE] [--no-infer-shape]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, 'no-infer-shape': { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new TsfxError(`usage: ${this.usage}`);
    const statistics = readStatisticsFile(positionals[0]);
    writeJsonOutput(
      inferSchema(statistics, { inferFeatureShape: !values['no-infer-shape'] }),
      values.out,
    );
    return 0;
  },
};

export function readStatisticsFile(path: string): DatasetFeatureStatisticsList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TsfxError(`${path}: not a statistics JSON file (${(error as Error).message})`);
  }
  const list = parsed as DatasetFeatureStatisticsList;
  if (!list || !Array.isArray(list.datasets) || list.datasets.length === 0) {
    throw new TsfxError(`${path}: not TFDV statistics (expected a "datasets" list)`);
  }
  return list;
}
