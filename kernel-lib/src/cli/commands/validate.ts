import { parseArgs } from 'node:util';
import { readSchemaFile, readStatisticsFile } from '../../artifacts/protoJsonFiles';
import { TsfxError } from '../../errors';
import {
  check,
  DatasetFeatureStatisticsListSchema,
  type Anomalies,
  type DatasetFeatureStatisticsList,
} from '@tsfx/protocol';
import { hasAnomalies, validateStatistics } from '../../validation/validate';
import type { CliCommand } from '../command';
import { formatTable } from '../formatTable';

import { statisticsOf } from './stats';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary:
    'check statistics (or a CSV) against a schema; exit 0 = no anomalies, 1 = anomalies, 2 = error',
  usage:
    'tsfx validate <stats.json|file.csv> --schema <schema.json> [--previous <stats.json>] [--serving <stats.json>] [--json]',
  errorStatus: 2,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        schema: { type: 'string' },
        previous: { type: 'string' },
        serving: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1 || !values.schema) throw new TsfxError(`usage: ${this.usage}`);
    const schema = readSchemaFile(values.schema);
    const input = positionals[0];
    const statistics: DatasetFeatureStatisticsList = input.toLowerCase().endsWith('.json')
      ? readStatisticsFile(input)
      : check(DatasetFeatureStatisticsListSchema, await statisticsOf(input), 'statistics');
    const previous = values.previous ? readStatisticsFile(values.previous) : undefined;
    const serving = values.serving ? readStatisticsFile(values.serving) : undefined;
    const results = statistics.datasets.map((dataset) => ({
      dataset: dataset.name ?? '',
      anomalies: validateStatistics(dataset, schema, { previous, serving }),
    }));
    const found = results.some((r) => hasAnomalies(r.anomalies));
    if (values.json) {
      console.log(JSON.stringify(results.length === 1 ? results[0].anomalies : results, null, 1));
    } else {
      for (const { dataset, anomalies } of results)
        printAnomalies(dataset, anomalies, results.length > 1);
    }
    return found ? 1 : 0;
  },
};

function printAnomalies(dataset: string, anomalies: Anomalies, named: boolean): void {
  const prefix = named ? `${dataset || '(unnamed)'}: ` : '';
  const rows = Object.entries(anomalies.anomalyInfo).map(([feature, info]) => [
    feature,
    info.severity,
    info.reason.map((r) => r.type).join(','),
    info.description,
  ]);
  if (anomalies.datasetAnomalyInfo) {
    const info = anomalies.datasetAnomalyInfo;
    rows.push([
      '(dataset)',
      info.severity,
      info.reason.map((r) => r.type).join(','),
      info.description,
    ]);
  }
  if (anomalies.dataMissing)
    rows.push(['(dataset)', 'ERROR', 'DATA_MISSING', 'The dataset has no examples.']);
  if (rows.length === 0) {
    console.log(`${prefix}no anomalies`);
    return;
  }
  console.log(`${prefix}${rows.length} anomal${rows.length === 1 ? 'y' : 'ies'}`);
  console.log(formatTable(['feature', 'severity', 'reasons', 'description'], rows));
}
