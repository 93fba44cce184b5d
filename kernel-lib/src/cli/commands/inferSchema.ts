import { parseArgs } from 'node:util';
import { TsfxError } from '../../errors';
import { inferSchema } from '../../schema/infer';
import { readStatisticsFile } from '../../artifacts/protoJsonFiles';
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
