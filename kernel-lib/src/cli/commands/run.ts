import { parseArgs } from 'node:util';
import { lineReporter, terminalReporter } from '../../display/progress';
import type { ProgressReporter } from '../../orchestration/progress';
import { cancelRunningExecutions } from '../../orchestration/runComponent';
import { runPipeline } from '../../orchestration/runPipeline';
import type { CliCommand } from '../command';
import { loadPipeline } from '../loadPipeline';
import { parseConf } from '../schedulerCli';

export const runCommand: CliCommand = {
  name: 'run',
  summary:
    'run every component of a pipeline once, in DAG order (or one, in its own process, with --component)',
  usage:
    'tsfx run <pipeline.ts> [--component ID] [--run-id ID] [--conf JSON] [--data-root DIR] [--pipeline-root DIR] [--metadata FILE] [--no-cache] [--verbose]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        component: { type: 'string', multiple: true },
        'run-id': { type: 'string' },
        conf: { type: 'string', short: 'c' },
        'data-root': { type: 'string' },
        'pipeline-root': { type: 'string' },
        metadata: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
      },
    });
    if (positionals.length !== 1) throw new Error(`usage: ${this.usage}`);
    const pipeline = await loadPipeline(
      positionals[0],
      {
        dataRoot: values['data-root'],
        pipelineRoot: values['pipeline-root'],
        metadataPath: values.metadata,
        enableCache: values['no-cache'] ? false : undefined,
      },
      parseConf(values.conf),
    );
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
      const { runId, results } = await runPipeline(pipeline, {
        enableCache: values['no-cache'] ? false : undefined,
        componentIds: values.component,
        runId: values['run-id'],
        signal: controller.signal,
        reporter: (componentId) => consoleReporter(componentId, values.verbose ?? false),
        onComponentEnd(result, index, total) {
          const what =
            result.state === 'CACHED'
              ? `cached (reused execution ${result.cachedFrom})`
              : `done in ${(result.durationMs / 1000).toFixed(1)}s`;
          const outputs = Object.entries(result.outputs)
            .map(
              ([key, artifacts]) =>
                // A Resolver may resolve nothing (a first run).
                `${key}: ${artifacts.map((a) => `#${a.id} ${a.uri}`).join(', ') || 'nothing'}`,
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
          `in ${((Date.now() - started) / 1000).toFixed(1)}s; run ${runId}; metadata ${pipeline.metadataPath}`,
      );
      return 0;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  },
};

/**
 * On a terminal, a progress bar on stderr (and, with --verbose, log lines above it); elsewhere
 * (a pipe, a log file), log and progress lines on stdout with --verbose, nothing without.
 */
function consoleReporter(componentId: string, verbose: boolean): ProgressReporter {
  const print = verbose ? (line: string) => console.log(`    ${line}`) : undefined;
  if (process.stderr.isTTY) return terminalReporter(componentId, process.stderr, print);
  return lineReporter(componentId, print ?? (() => {}));
}
