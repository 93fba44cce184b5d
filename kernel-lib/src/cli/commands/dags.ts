import { parseArgs } from 'node:util';
import type { PipelineIr } from '@tsfx/protocol';
import { TsfxError } from '../../errors';
import { readPipelineIrFile } from '../../orchestration/pipelineIr';
import type { CliCommand } from '../command';
import { loadPipeline } from '../loadPipeline';

const USAGE =
  'tsfx dags show <pipeline.ts|pipeline.json> [--json] [--data-root DIR] [--pipeline-root DIR] [--metadata FILE]';

/** Airflow's `dags show`: a pipeline's DAG, from its file or from a run's `pipeline.json`. */
export const dagsCommand: CliCommand = {
  name: 'dags',
  summary: "show a pipeline's DAG: its components in order, with their edges (or its IR as JSON)",
  usage: USAGE,
  async run(argv) {
    const [verb, ...rest] = argv;
    if (verb !== 'show') throw new TsfxError(`usage: ${USAGE}`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'data-root': { type: 'string' },
        'pipeline-root': { type: 'string' },
        metadata: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new TsfxError(`usage: ${USAGE}`);
    const file = positionals[0];
    const ir = file.endsWith('.json')
      ? readPipelineIrFile(file)
      : (
          await loadPipeline(file, {
            dataRoot: values['data-root'],
            pipelineRoot: values['pipeline-root'],
            metadataPath: values.metadata,
          })
        ).toJSON();
    console.log(values.json ? JSON.stringify(ir, null, 2) : dagText(ir));
    return 0;
  },
};

/** The components in DAG order, each with its inputs (edges from their producers) and outputs. */
export function dagText(ir: PipelineIr): string {
  const lines = [
    `pipeline ${ir.name}: ${ir.components.length} component(s)`,
    `  root      ${ir.pipelineRoot}`,
    `  metadata  ${ir.metadataPath}`,
  ];
  for (const [index, component] of ir.components.entries()) {
    const type = component.type === component.id ? '' : ` (${component.type})`;
    lines.push(`${index + 1}. ${component.id}${type}`);
    for (const [key, input] of Object.entries(component.inputs)) {
      lines.push(`     in   ${key} <- ${input.channel}${input.optional ? ' (optional)' : ''}`);
    }
    for (const [key, type] of Object.entries(component.outputs)) {
      lines.push(`     out  ${key}: ${type}`);
    }
    for (const module of component.moduleFiles) {
      lines.push(`     code ${module.path} (sha256 ${module.sha256.slice(0, 12)})`);
    }
  }
  return lines.join('\n');
}
