import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, TsfxError } from '../errors';
import { checkGraph, type LoadedTransformGraph, type TransformGraph } from './graph';
import { writeJsonFile } from '../artifacts/protoJsonFiles';

/** The graph's JSON file inside a TransformGraph artifact (or a serving bundle's copy). */
export const TRANSFORM_GRAPH_FILE = 'transform_graph.json';
/** Vocabulary files: one token per line, each written as a JSON string literal, most frequent first. */
export const VOCABULARIES_DIR = 'vocabularies';

/** Writes `transform_graph.json` and `vocabularies/<name>.txt` under `dir`. */
export function saveTransformGraph(dir: string, loaded: LoadedTransformGraph): void {
  mkdirSync(join(dir, VOCABULARIES_DIR), { recursive: true });
  writeJsonFile(join(dir, TRANSFORM_GRAPH_FILE), loaded.graph);
  for (const [file, tokens] of Object.entries(loaded.vocabularies)) {
    const body = tokens.map((t) => JSON.stringify(t)).join('\n');
    writeFileSync(join(dir, VOCABULARIES_DIR, file), tokens.length > 0 ? `${body}\n` : '');
  }
}

/** Reads a saved graph and its vocabularies (from an artifact folder or a serving bundle). */
export function loadTransformGraph(dir: string): LoadedTransformGraph {
  const path = join(dir, TRANSFORM_GRAPH_FILE);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new TsfxError(`no transform graph at ${path}`);
  }
  let graph: TransformGraph;
  try {
    graph = JSON.parse(readFileSync(path, 'utf8')) as TransformGraph;
  } catch (error) {
    throw new TsfxError(`cannot read ${path}: ${errorMessage(error)}`);
  }
  checkGraph(graph);
  const vocabularies: Record<string, string[]> = {};
  for (const node of graph.nodes) {
    if (node.op !== 'vocabulary' || node.vocabularyFile in vocabularies) continue;
    const file = join(dir, VOCABULARIES_DIR, node.vocabularyFile);
    const text = readFileSync(file, 'utf8');
    const tokens =
      text === ''
        ? []
        : text
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => JSON.parse(line) as string);
    if (tokens.length !== node.size) {
      throw new TsfxError(`${file} holds ${tokens.length} tokens, the graph says ${node.size}`);
    }
    vocabularies[node.vocabularyFile] = tokens;
  }
  return { graph, vocabularies };
}
