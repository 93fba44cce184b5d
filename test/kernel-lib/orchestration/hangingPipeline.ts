// A pipeline for interruption tests: its only component writes part of its output, says READY
// on stdout, and then never finishes. Imports 'tsfx' as a user's pipeline file would.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, Pipeline, type ExecutorContext } from 'tsfx';

class Hang extends Component<{ n: number }> {
  readonly type = 'Hang';
  constructor() {
    super({ inputs: {}, outputs: { model: 'Model' }, parameters: { n: 1 } });
  }
  async execute({ outputs }: ExecutorContext<{ n: number }>): Promise<void> {
    writeFileSync(join(outputs.model.uri, 'half-written.bin'), 'partial');
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
    components: [new Hang()],
  });
}
