/**
 * TFX's artifact layout on disk, read from a file's path: `<pipelineRoot>/<ComponentId>/<output
 * key>/<execution id>/…`, per-split files in `Split-<name>/`. Paths are `/`-separated (JupyterLab's
 * contents paths and POSIX paths alike); no `node:path` here, the browser reads them too.
 */
import type { ArtifactRef } from '../payloads/artifact';
import { METRICS_FILE } from '../proto/evaluation';

export const STATISTICS_FILE = 'FeatureStats.json';
export const ANOMALIES_FILE = 'SchemaDiff.json';
export const SCHEMA_FILE = 'schema.json';
/** The Trainer's run log in its ModelRun artifact (format in `eventLog.ts`). */
export const EVENTS_FILE = 'events.jsonl';
/** A split artifact keeps each split in `<uri>/Split-<name>/`. */
export const SPLIT_PREFIX = 'Split-';

/** The artifact files a view can open: its kind, file name, artifact type, one file per split. */
export const ARTIFACT_FILES = {
  statistics: { file: STATISTICS_FILE, type: 'ExampleStatistics', perSplit: true },
  anomalies: { file: ANOMALIES_FILE, type: 'ExampleAnomalies', perSplit: true },
  schema: { file: SCHEMA_FILE, type: 'Schema', perSplit: false },
  training: { file: EVENTS_FILE, type: 'ModelRun', perSplit: false },
  // A ModelEvaluation opens from its metrics (its plots, validations and config beside it).
  evaluation: { file: METRICS_FILE, type: 'ModelEvaluation', perSplit: false },
} as const;

export type ArtifactFileKind = keyof typeof ARTIFACT_FILES;

export const ARTIFACT_FILE_KINDS = Object.keys(ARTIFACT_FILES) as ArtifactFileKind[];

/** Where an artifact file sits: its artifact (id unknown: it lives in the store) and its split. */
export interface ArtifactFileLocation {
  kind: ArtifactFileKind;
  path: string;
  artifact: ArtifactRef;
  /** The split of a per-split file inside `Split-<name>/`, else null. */
  split: string | null;
}

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export const dirName = (path: string): string => {
  const end = path.lastIndexOf('/');
  return end < 0 ? '' : end === 0 ? '/' : path.slice(0, end);
};

export const joinPath = (dir: string, name: string): string =>
  dir === '' ? name : dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;

/** The split a folder name holds (`Split-train` → `train`), or null. */
export function splitOfFolder(name: string): string | null {
  return name.startsWith(SPLIT_PREFIX) && name.length > SPLIT_PREFIX.length
    ? name.slice(SPLIT_PREFIX.length)
    : null;
}

/** The kind of artifact file a path names (by its file name), or null. */
export function artifactFileKind(path: string): ArtifactFileKind | null {
  const name = baseName(path);
  return ARTIFACT_FILE_KINDS.find((kind) => ARTIFACT_FILES[kind].file === name) ?? null;
}

/**
 * The artifact a file belongs to, from its path alone: the folder that holds it (or its
 * `Split-<name>/` folder), and as producer the component folder two levels above an execution
 * id (`<ComponentId>/<output key>/<n>`), or null outside that layout (e.g. `tsfx stats --out`).
 * The artifact id is null: the path holds the execution id, the artifact id is in the store.
 */
export function locateArtifactFile(path: string): ArtifactFileLocation | null {
  const kind = artifactFileKind(path);
  if (!kind) return null;
  let uri = dirName(path);
  let split: string | null = null;
  if (ARTIFACT_FILES[kind].perSplit) {
    split = splitOfFolder(baseName(uri));
    if (split !== null) uri = dirName(uri);
  }
  const parts = uri.split('/').filter((p) => p !== '');
  const producer =
    parts.length >= 3 && /^\d+$/.test(parts[parts.length - 1]!) ? parts[parts.length - 3]! : null;
  return {
    kind,
    path,
    split,
    artifact: { id: null, type: ARTIFACT_FILES[kind].type, uri, producer },
  };
}

/** One split's file of a split artifact. */
export interface SplitFile {
  split: string;
  path: string;
}

/**
 * The files of every split of the artifact a per-split file belongs to, given the names of the
 * artifact folder's entries: the opened file's split first (it is the view's first dataset, the
 * baseline of its comparisons), then the others by name. A file outside `Split-<name>/` is alone.
 */
export function splitFiles(
  location: ArtifactFileLocation,
  folderNames: readonly string[],
): SplitFile[] {
  if (location.split === null) return [];
  const others = folderNames
    .map(splitOfFolder)
    .filter((s): s is string => s !== null && s !== location.split)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const file = ARTIFACT_FILES[location.kind].file;
  return [location.split, ...others].map((split) => ({
    split,
    path: joinPath(joinPath(location.artifact.uri, `${SPLIT_PREFIX}${split}`), file),
  }));
}
