import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ARTIFACT_TYPES, isArtifactType } from '../../artifacts/artifactTypes';
import { TsfxError } from '../../errors';
import { MetadataStore } from '../../metadata/MetadataStore';
import { defaultMetadataPath, type CliCommand } from '../command';
import { formatTable } from '../formatTable';

export const artifactsCommand: CliCommand = {
  name: 'artifacts',
  summary: 'list the artifacts in a metadata store',
  usage: 'tsfx artifacts [--metadata FILE] [--type TYPE] [--json]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        metadata: { type: 'string', default: defaultMetadataPath() },
        type: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (values.type && !isArtifactType(values.type)) {
      throw new TsfxError(
        `unknown artifact type ${values.type}: one of ${ARTIFACT_TYPES.join(', ')}`,
      );
    }
    const store = openStore(values.metadata!);
    try {
      const rows = store.getArtifacts({ type: values.type }).map((a) => {
        const producer = store.getProducer(a.id);
        return {
          id: a.id,
          type: a.type,
          state: a.state,
          uri: a.uri,
          producer: producer?.componentId ?? null,
          execution: producer?.id ?? null,
          properties: a.properties,
        };
      });
      if (values.json) {
        console.log(JSON.stringify(rows, null, 2));
      } else {
        console.log(
          formatTable(
            ['id', 'type', 'state', 'producer', 'execution', 'uri', 'properties'],
            rows.map((r) => [
              r.id,
              r.type,
              r.state,
              r.producer,
              r.execution,
              r.uri,
              JSON.stringify(r.properties),
            ]),
          ),
        );
      }
      return 0;
    } finally {
      store.close();
    }
  },
};

/** Opens an existing store; a missing file is an error rather than a new empty store. */
export function openStore(path: string): MetadataStore {
  if (!existsSync(path)) throw new TsfxError(`no metadata store at ${path} (give --metadata FILE)`);
  return new MetadataStore(path);
}
