/**
 * The tsfx view of an artifact file: the file (and, for a per-split file, its sibling splits)
 * turned into the payload `show()` sends, by @tsfx/protocol, and drawn by the kind's renderer.
 */
import {
  artifactFileView,
  type ArtifactFileKind,
  type ArtifactFileReader,
  type ArtifactFileView,
} from '@tsfx/protocol';
import { rendererFor } from '../registry.js';
import { drawPayload, showError } from '../widget.js';

/**
 * Draws the view of the file at `path` (whose text is `text`) into `host`, reading siblings with
 * `reader`; returns the kind drawn, or null when the file (or a sibling) could not be read, which
 * the error box then explains with its path.
 */
export async function drawArtifactFile(
  host: HTMLElement,
  path: string,
  text: string,
  reader: ArtifactFileReader,
): Promise<ArtifactFileKind | null> {
  let view: ArtifactFileView;
  try {
    view = await artifactFileView(path, text, reader);
  } catch (error) {
    showError(host, error);
    return null;
  }
  // drawPayload checks the payload with its kind's validator again, so the view needs only the
  // kind here (and TypeScript need not expand the union of every payload type).
  const { kind, payload } = view as unknown as { kind: ArtifactFileKind; payload: unknown };
  drawPayload(rendererFor(kind), host, payload);
  return kind;
}
