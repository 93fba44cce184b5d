/** Reads an artifact file's neighbours through JupyterLab's contents API. */
import type { Contents } from '@jupyterlab/services';
import type { ArtifactFileReader } from '@tsfx/protocol';

const notFound = (error: unknown): boolean =>
  (error as { response?: { status?: number } } | null)?.response?.status === 404;

export function contentsReader(contents: Contents.IManager): ArtifactFileReader {
  return {
    async list(dir) {
      const model = await contents.get(dir, { type: 'directory', content: true });
      return ((model.content ?? []) as Contents.IModel[]).map((entry) => entry.name);
    },
    async read(path) {
      try {
        const model = await contents.get(path, { type: 'file', format: 'text', content: true });
        return typeof model.content === 'string' ? model.content : null;
      } catch (error) {
        if (notFound(error)) return null;
        throw error;
      }
    },
  };
}
