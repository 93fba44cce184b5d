import { parseArgs } from 'node:util';
import { TsfxError } from '../../errors';
import { defaultMetadataPath, type CliCommand } from '../command';
import { openStore } from './artifacts';

export const lineageCommand: CliCommand = {
  name: 'lineage',
  summary: "show an artifact's lineage: what it came from and what was made from it",
  usage: 'tsfx lineage <artifact-id> [--metadata FILE] [--json]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        metadata: { type: 'string', default: defaultMetadataPath() },
        json: { type: 'boolean', default: false },
      },
    });
    const id = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isInteger(id))
      throw new TsfxError(`usage: ${this.usage}`);
    const store = openStore(values.metadata!);
    try {
      const artifact = store.getArtifact(id);
      if (!artifact) throw new TsfxError(`no artifact ${id} in ${values.metadata}`);
      const upstream = store.getLineage(id, 'upstream');
      const downstream = store.getLineage(id, 'downstream');
      if (values.json) {
        console.log(JSON.stringify({ artifact, upstream, downstream }, null, 2));
        return 0;
      }
      const artifactName = (a: { id: number; type: string; state: string; uri: string }): string =>
        `${a.type} #${a.id} [${a.state}] ${a.uri}`;
      const executionName = (e: { id: number; componentId: string; state: string }): string =>
        `${e.componentId} execution ${e.id} [${e.state}]`;
      console.log(artifactName(artifact));
      for (const [title, graph, edgeType, otherType] of [
        ['upstream', upstream, 'OUTPUT', 'INPUT'],
        ['downstream', downstream, 'INPUT', 'OUTPUT'],
      ] as const) {
        console.log(`${title}:`);
        if (graph.executions.length === 0) console.log('  (none)');
        for (const execution of graph.executions) {
          const linked = graph.events.filter((e) => e.executionId === execution.id);
          const own = linked.filter((e) => e.type === edgeType).map((e) => `#${e.artifactId}`);
          const others = linked
            .filter((e) => e.type === otherType)
            .map((e) => graph.artifacts.find((a) => a.id === e.artifactId))
            .filter((a): a is NonNullable<typeof a> => a !== undefined)
            .map((a) => artifactName(a));
          const verb =
            title === 'upstream'
              ? `wrote ${own.join(', ')} from`
              : `read ${own.join(', ')} and wrote`;
          console.log(
            `  ${executionName(execution)} ${verb}: ${others.length ? others.join('; ') : '(nothing)'}`,
          );
        }
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
