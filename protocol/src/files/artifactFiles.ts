/**
 * An artifact file opened on its own (JupyterLab's file browser) → the payload `show()` would
 * send for its artifact: a per-split file brings its sibling splits, as `show()` shows every split.
 */
import type { PayloadMap } from '../payloads';
import type { AnomaliesPayload } from '../payloads/anomalies';
import { statisticsPayloadOf, type SplitStatistics } from '../payloads/statistics';
import { trainingPayload } from '../payloads/training';
import { EVAL_CONFIG_FILE, PLOTS_FILE, VALIDATIONS_FILE } from '../proto/evaluation';
import { eventLogStatus, parseEventLog } from './eventLog';
import { evaluationPayloadOf, parseEvaluationFiles, type FileText } from './evaluationFiles';
import {
  baseName,
  joinPath,
  locateArtifactFile,
  splitFiles,
  type ArtifactFileKind,
  type ArtifactFileLocation,
} from './layout';
import {
  FileFormatError,
  parseAnomaliesFile,
  parseSchemaFile,
  parseStatisticsFile,
} from './protoJson';

/** How the view reads an artifact file's neighbours (JupyterLab's contents API; a folder in tests). */
export interface ArtifactFileReader {
  /** The names of a folder's entries. */
  list(dir: string): Promise<string[]>;
  /** A file's text, or null when there is no such file. */
  read(path: string): Promise<string | null>;
}

/** A payload with its kind, as one value (the view picks the renderer by `kind`). */
export type ArtifactFileView = {
  [K in ArtifactFileKind]: { kind: K; payload: PayloadMap[K] };
}[ArtifactFileKind];

/**
 * The view of the artifact file at `path` (whose text is `text`): statistics and anomalies of
 * every split (the opened one first), the schema, the training curves of an events.jsonl, or the
 * evaluation of a metrics.jsonl (with the plots, validations and config beside it).
 * Throws FileFormatError naming the file (and line, column or field) that is not what it should be.
 */
export async function artifactFileView(
  path: string,
  text: string,
  reader: ArtifactFileReader,
): Promise<ArtifactFileView> {
  const location = locateArtifactFile(path);
  if (!location) throw new FileFormatError(path, `${path}: not a tsfx artifact file`);
  const { artifact } = location;
  switch (location.kind) {
    case 'schema':
      return {
        kind: 'schema',
        payload: { kind: 'schema', artifact, schema: parseSchemaFile(text, path) },
      };
    case 'training': {
      const events = parseEventLog(text, path);
      return {
        kind: 'training',
        payload: trainingPayload(events, artifact, eventLogStatus(events)),
      };
    }
    case 'evaluation': {
      const sibling = async (name: string): Promise<FileText | null> => {
        const siblingPath = joinPath(artifact.uri, name);
        const found = await reader.read(siblingPath);
        return found === null ? null : { path: siblingPath, text: found };
      };
      const [plots, validations, evalConfig] = await Promise.all(
        [PLOTS_FILE, VALIDATIONS_FILE, EVAL_CONFIG_FILE].map(sibling),
      );
      const files = parseEvaluationFiles({
        metrics: { path, text },
        plots: plots ?? null,
        validations: validations ?? null,
        evalConfig: evalConfig ?? null,
      });
      return { kind: 'evaluation', payload: evaluationPayloadOf(files, artifact) };
    }
    case 'statistics': {
      const files = await splitTexts(location, text, reader);
      const splits: SplitStatistics[] = files.map((f) => ({
        split: f.split,
        statistics: parseStatisticsFile(f.text, f.path),
      }));
      return { kind: 'statistics', payload: statisticsPayloadOf([{ artifact, splits }]) };
    }
    case 'anomalies': {
      const files = await splitTexts(location, text, reader);
      const splits: AnomaliesPayload['splits'] = files.map((f) => ({
        name: f.split,
        anomalies: parseAnomaliesFile(f.text, f.path),
      }));
      return { kind: 'anomalies', payload: { kind: 'anomalies', artifact, splits } };
    }
  }
}

/**
 * The texts of every split's file of a per-split artifact, the opened one first; a split folder
 * without the file is left out. A file outside `Split-<name>/` is alone, named after its folder.
 */
async function splitTexts(
  location: ArtifactFileLocation,
  text: string,
  reader: ArtifactFileReader,
): Promise<{ split: string; path: string; text: string }[]> {
  if (location.split === null) {
    return [{ split: baseName(location.artifact.uri) || location.path, path: location.path, text }];
  }
  const siblings = splitFiles(location, await reader.list(location.artifact.uri));
  const texts = await Promise.all(
    siblings.map((s) => (s.split === location.split ? Promise.resolve(text) : reader.read(s.path))),
  );
  return siblings.flatMap((s, i) => {
    const found = texts[i];
    if (found === null || found === undefined) return [];
    return [{ ...s, path: s.split === location.split ? location.path : s.path, text: found }];
  });
}
