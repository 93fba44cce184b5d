// A pipeline for interruption tests: its only component writes part of its output, says READY
// on stdout, and then never finishes; with TSFX_TEST_HANG=0 it finishes instead (a rerun).
// Imports 'tsfx' as a user's pipeline file would.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Pipeline, type ExecutorContext } from 'tsfx';

class Hang extends Component<{ hang: boolean }> {
  readonly type = 'Hang';
  constructor(hang: boolean) {
    super({ inputs: {}, outputs: { model: 'Model' }, parameters: { hang } });
  }
  async execute({ outputs, parameters }: ExecutorContext<{ hang: boolean }>): Promise<void> {
    writeFileSync(join(outputs.model.uri, 'half-written.bin'), 'partial');
    if (!parameters.hang) return;
    console.log('READY');
    // A timer keeps the event loop alive: a bare unsettled promise would let Node exit (code 0)
    // as soon as nothing else is pending, racing the test's signal.
    await new Promise(() => setInterval(() => {}, 60_000));
  }
}

export function createPipeline(params: { pipelineRoot?: string; metadataPath?: string }): Pipeline {
  return new Pipeline({
    name: 'hanging',
    pipelineRoot: params.pipelineRoot ?? '/tmp/hanging',
    metadataPath: params.metadataPath,
    components: [new Hang(process.env.TSFX_TEST_HANG !== '0')],
  });
}
