import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TsfxError } from '../errors';
import { openSchedulerApi, type SchedulerApi } from '../scheduler/api/client';
import { ApiProblem } from '../scheduler/api/service';
import { schedulerPaths, type SchedulerPaths } from '../scheduler/paths';
import { formatTable } from './formatTable';

/**
 * What the Airflow-named commands (`dags …`, `tasks …`, `pause`, `trigger_dag`) share: the
 * options naming the dags folder and store, the output format, and the API, through the running
 * scheduler or on the store directly.
 */
export const COMMON_OPTIONS = {
  subdir: { type: 'string', short: 'S' },
  metadata: { type: 'string' },
  output: { type: 'string', short: 'o', default: 'table' },
} as const satisfies ParseArgsConfig['options'];

export interface CommonValues {
  subdir?: string;
  metadata?: string;
  output?: string;
}

type OptionValue<T> = T extends { type: 'boolean' } ? boolean : string;
export type ParsedValues<O> = { [K in keyof O]?: OptionValue<O[K]> } & CommonValues;

/** Parses a command's options (with the common ones) and checks its number of positionals. */
export function parseCommand<O extends ParseArgsConfig['options']>(
  argv: string[],
  options: O,
  usage: string,
  positionals: number,
): { values: ParsedValues<O>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...COMMON_OPTIONS, ...options },
    });
  } catch (error) {
    throw new TsfxError(`${(error as Error).message} (usage: ${usage})`);
  }
  if (parsed.positionals.length !== positionals) throw new TsfxError(`usage: ${usage}`);
  const output = (parsed.values as CommonValues).output;
  if (output !== 'table' && output !== 'json' && output !== 'plain') {
    throw new TsfxError(`-o/--output must be table, json or plain, got "${output}"`);
  }
  return { values: parsed.values as ParsedValues<O>, positionals: parsed.positionals };
}

export function pathsFrom(values: CommonValues): SchedulerPaths {
  return schedulerPaths({ metadata: values.metadata, dagsFolder: values.subdir });
}

/** Runs `fn` with the API open, turning its problems into one-line CLI errors. */
export async function withApi<T>(
  values: CommonValues,
  fn: (api: SchedulerApi, paths: SchedulerPaths) => Promise<T>,
): Promise<T> {
  const paths = pathsFrom(values);
  const api = await openSchedulerApi(paths);
  try {
    return await fn(api, paths);
  } catch (error) {
    if (error instanceof ApiProblem) throw new TsfxError(error.detail);
    throw error;
  } finally {
    api.close();
  }
}

/** Prints rows as a table, or the API objects as JSON with `-o json`. */
export function printRows<T>(
  values: CommonValues,
  items: T[],
  headers: string[],
  row: (item: T) => unknown[],
): void {
  if (values.output === 'json') {
    console.log(JSON.stringify(items, null, 2));
    return;
  }
  if (items.length === 0) {
    console.log('No data found');
    return;
  }
  console.log(formatTable(headers, items.map(row)));
}

export function parseConf(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let conf: unknown;
  try {
    conf = JSON.parse(text);
  } catch (error) {
    throw new TsfxError(`-c/--conf: not JSON: ${(error as Error).message}`);
  }
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf)) {
    throw new TsfxError('-c/--conf: expected a JSON object such as \'{"trainSteps": 50}\'');
  }
  return conf as Record<string, unknown>;
}
