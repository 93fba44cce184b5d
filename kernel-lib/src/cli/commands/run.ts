import { parseArgs } from 'node:util';
import { cancelRunningExecutions } from '../../orchestration/runComponent';
import { runPipeline } from '../../orchestration/runPipeline';
import type { CliCommand } from '../command';
import { loadPipeline } from '../loadPipeline';

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run every component of a pipeline once, in DAG order',
  usage:
    'tsfx run <pipeline.ts> [--data-root DIR] [--pipeline-root DIR] [--metadata FILE] [--no-cache] [--verbose]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-root': { type: 'string' },
        'pipeline-root': { type: 'string' },
        metadata: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
      },
    });
    if (positionals.length !== 1) throw new Error(`usage: ${this.usage}`);
    const pipeline = await loadPipeline(positionals[0], {
      dataRoot: values['data-root'],
      pipelineRoot: values['pipeline-root'],
      metadataPath: values.metadata,
      enableCache: values['no-cache'] ? false : undefined,
    });
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      controller.abort();
      // Close the running execution now: the executor may be inside native code that ignores the abort.
      cancelRunningExecutions(`interrupted by ${signal}`);
      console.error(
        `error: interrupted by ${signal}; the running execution was closed as CANCELED`,
      );
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const started = Date.now();
    try {
      const { results } = await runPipeline(pipeline, {
        enableCache: values['no-cache'] ? false : undefined,
        signal: controller.signal,
        log: values.verbose ? (id, message) => console.log(`    ${id}: ${message}`) : undefined,
        onComponentEnd(result, index, total) {
          const what =
            result.state === 'CACHED'
              ? `cached (reused execution ${result.cachedFrom})`
              : `done in ${(result.durationMs / 1000).toFixed(1)}s`;
          const outputs = Object.entries(result.outputs)
            .map(
              ([key, artifacts]) =>
                `${key}: ${artifacts.map((a) => `#${a.id} ${a.uri}`).join(', ')}`,
            )
            .join('; ');
          console.log(
            `[${index + 1}/${total}] ${result.componentId} ${what}, execution ${result.executionId} -> ${outputs}`,
          );
        },
      });
      const cached = results.filter((r) => r.state === 'CACHED').length;
      console.log(
        `pipeline ${pipeline.name}: ${results.length} component(s), ${results.length - cached} executed, ${cached} cached, ` +
          `in ${((Date.now() - started) / 1000).toFixed(1)}s; metadata ${pipeline.metadataPath}`,
      );
      return 0;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  },
};
