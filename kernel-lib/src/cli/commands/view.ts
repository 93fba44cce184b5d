import { MIME_TYPES } from '@tsfx/protocol';
import { artifactViewer } from '../../display/viewers';
import { TsfxError } from '../../errors';
import type { CliCommand } from '../command';
import { parseCommand } from '../schedulerCli';
import { openStore } from './artifacts';
import { defaultMetadataPath } from '../command';

const USAGE = 'tsfx view <artifact_id> [--metadata FILE] [-o json|plain]';

/**
 * The view `show()` sends a notebook for one artifact, as JSON (`{kind, mime, payload}`), or its
 * text summary. The DAG panel opens a task's artifacts through it (the Jupyter server extension
 * runs it), so a scheduled run's outputs look exactly as they do in the notebook.
 */
export const viewCommand: CliCommand = {
  name: 'view',
  summary: "print an artifact's view: the payload show() draws in a notebook",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommand(argv, {}, USAGE, 1);
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id < 1)
      throw new TsfxError(`artifact_id: expected a whole number >= 1, got "${positionals[0]}"`);
    const metadata = values.metadata ?? defaultMetadataPath();
    const store = openStore(metadata);
    try {
      const artifact = store.getArtifact(id);
      if (!artifact) throw new TsfxError(`no artifact ${id} in ${metadata}`);
      const viewer = artifactViewer(artifact.type);
      if (!viewer) throw new TsfxError(`no view for ${artifact.type} artifacts yet`);
      const producer = store.getProducer(id)?.componentId ?? null;
      const view = await viewer(artifact, { store, producer });
      if (values.output === 'json') {
        const mime = MIME_TYPES[view.kind];
        console.log(
          JSON.stringify({
            artifact_id: id,
            type: artifact.type,
            kind: view.kind,
            mime,
            payload: view.payload,
          }),
        );
      } else {
        console.log(view.text);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
