import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DagSpec } from './dagOptions';
import { nextScheduledRun, type NextRun } from './schedule';
import type { SchedulerStore } from './stateStore';
import type { ParseResult } from './workerProtocol';

/**
 * The DAGs of a dags folder (Airflow's DagBag): every TypeScript or JavaScript file that mentions
 * both "dag" and "tsfx" (Airflow's safe-mode test, so module files such as taxi_utils.ts are not
 * imported) is imported in a process of its own; a file exporting `dag` options and a pipeline is
 * a DAG, a file that fails to import is an import error (the other DAGs still load), and any
 * other file is left alone. A file is parsed again only when its modification time or size
 * changes.
 */
export type Parser = (file: string) => Promise<ParseResult>;

const DAG_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

export function listDagFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (DAG_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') && mightBeDag(path)) {
        found.push(path);
      }
    }
  };
  walk(folder);
  return found;
}

function mightBeDag(path: string): boolean {
  const text = readFileSync(path, 'utf8').toLowerCase();
  return text.includes('dag') && text.includes('tsfx');
}

/** Parses what changed in the folder and records DAGs and import errors; returns files parsed. */
export async function refreshDagBag(
  state: SchedulerStore,
  folder: string,
  parse: Parser,
  options: { force?: boolean; concurrency?: number; now?: () => number } = {},
): Promise<number> {
  const now = options.now ?? Date.now;
  const files = listDagFiles(folder);
  state.transaction(() => {
    state.forgetDagFilesOutside(files);
    state.deactivateDagsOutside(files);
  });
  const changed = files.filter((file) => {
    const known = state.getDagFile(file);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return false;
    return options.force || !known || known.mtimeMs !== stat.mtimeMs || known.size !== stat.size;
  });
  const queue = [...changed];
  const parseNext = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat) continue;
      const result = await parse(file);
      recordParse(state, file, result, stat, now());
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 2, queue.length) }, parseNext),
  );
  return changed.length;
}

function recordParse(
  state: SchedulerStore,
  file: string,
  result: ParseResult,
  stat: { mtimeMs: number; size: number },
  now: number,
): void {
  state.transaction(() => {
    state.setDagFile(file, stat.mtimeMs, stat.size, now);
    if (result.kind === 'error') {
      state.setImportError(file, result.message, now);
      return;
    }
    if (result.kind === 'not-a-dag') {
      state.clearImportError(file);
      state.deactivateDags(file, []);
      return;
    }
    const { spec, ir } = result;
    const other = state.getDag(spec.dagId);
    if (other && other.isActive && other.fileloc !== file) {
      state.setImportError(
        file,
        `${file}: dag_id "${spec.dagId}" is defined already in ${other.fileloc} (AirflowDagDuplicatedIdException)`,
        now,
      );
      return;
    }
    state.clearImportError(file);
    state.deactivateDags(file, [spec.dagId]);
    const next = nextRunFor(state, spec, now);
    state.upsertDag(
      {
        dagId: spec.dagId,
        fileloc: file,
        spec,
        ir,
        lastParsedTime: now,
        nextDagrun: next?.logicalDate ?? null,
        nextDagrunCreateAfter: next?.runAfter ?? null,
      },
      spec.isPausedUponCreation,
    );
    state.setNextDagrun(spec.dagId, next?.logicalDate ?? null, next?.runAfter ?? null);
  });
}

/** The next scheduled run of a DAG, after its latest scheduled run. */
export function nextRunFor(state: SchedulerStore, spec: DagSpec, now: number): NextRun | null {
  const last = state.latestScheduledRun(spec.dagId);
  return nextScheduledRun(
    spec.schedule,
    spec.startDate,
    spec.catchup,
    last && last.dataIntervalStart !== null && last.dataIntervalEnd !== null
      ? { dataIntervalStart: last.dataIntervalStart, dataIntervalEnd: last.dataIntervalEnd }
      : null,
    now,
  );
}
