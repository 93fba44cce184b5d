import { check, ExamplesPageRequestSchema } from '@tsfx/protocol';
import { readExamplesPage } from '../../examples/parquetExamples';
import { TsfxError } from '../../errors';
import type { CliCommand } from '../command';
import { parseCommand } from '../schedulerCli';

const USAGE =
  'tsfx rows <examples_uri> --split NAME [--offset N] [--limit N] [--sort COLUMN [--descending]] [--filter COLUMN --contains TEXT]';

/** A whole number option as the request wants it (checked there); `fallback` when absent. */
function numberOption(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

/**
 * A page of an Examples artifact's split, read from its Parquet files, as JSON (the protocol's
 * ExamplesPage). The examples view pages, sorts and filters through it: the Jupyter server
 * extension runs it, so only the rows asked for leave the server.
 */
export const rowsCommand: CliCommand = {
  name: 'rows',
  summary: "print a page of an Examples split's rows (sorted, filtered) as JSON",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommand(
      argv,
      {
        split: { type: 'string' },
        offset: { type: 'string' },
        limit: { type: 'string' },
        sort: { type: 'string' },
        descending: { type: 'boolean' },
        filter: { type: 'string' },
        contains: { type: 'string' },
      },
      USAGE,
      1,
    );
    if (values.split === undefined) throw new TsfxError(`--split is required (usage: ${USAGE})`);
    if ((values.filter === undefined) !== (values.contains === undefined))
      throw new TsfxError('--filter and --contains go together');
    if (values.descending && values.sort === undefined)
      throw new TsfxError('--descending needs --sort');
    const request = check(
      ExamplesPageRequestSchema,
      {
        split: values.split,
        offset: numberOption(values.offset, 0),
        limit: numberOption(values.limit, 25),
        sort:
          values.sort === undefined
            ? undefined
            : { column: values.sort, descending: values.descending === true },
        filter:
          values.filter === undefined
            ? undefined
            : { column: values.filter, contains: values.contains },
      },
      'request',
      'tsfx rows',
    );
    const page = await readExamplesPage(positionals[0]!, request);
    console.log(JSON.stringify(page));
    return 0;
  },
};
