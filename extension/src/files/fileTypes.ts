/**
 * The file types of tsfx artifact files, matched by file name (a JupyterLab file type pattern is
 * tried on the name before the extension, so `FeatureStats.json` is a tsfx file and `other.json`
 * stays JSON). Names, artifact types and file names come from @tsfx/protocol's layout.
 */
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { ARTIFACT_FILE_KINDS, ARTIFACT_FILES, type ArtifactFileKind } from '@tsfx/protocol';

export const fileTypeName = (kind: ArtifactFileKind): string => `tsfx-${kind}`;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const ARTIFACT_FILE_TYPES: DocumentRegistry.IFileType[] = ARTIFACT_FILE_KINDS.map((kind) => {
  const { file, type } = ARTIFACT_FILES[kind];
  const extension = file.slice(file.lastIndexOf('.'));
  return {
    name: fileTypeName(kind),
    displayName: `tsfx ${type} (${file})`,
    pattern: `^${escapeRegExp(file)}$`,
    extensions: [],
    mimeTypes: [extension === '.jsonl' ? 'text/jsonl' : 'application/json'],
    fileFormat: 'text',
    contentType: 'file',
  };
});
