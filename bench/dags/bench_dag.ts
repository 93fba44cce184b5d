// The scheduler benchmark's DAG: 50 no-op tasks, `start`, then 8 chains of 6, then `end` reading
// the last task of every chain. A tiny component type that executes nothing, so that what is
// measured is the scheduling around it.
import { join } from 'node:path';
import { Component, Pipeline, type Channel, type DagOptions, type ExecutorContext } from 'tsfx';

class NoopTask extends Component<Record<string, never>> {
  readonly type = 'NoopTask';
  constructor(id: string, inputs: Channel[]) {
    super({
      inputs: Object.fromEntries(inputs.map((channel, i) => [`in${i}`, channel])),
      outputs: { out: 'Schema' },
      parameters: {},
    });
    this.withId(id);
  }
  async execute(_context: ExecutorContext<Record<string, never>>): Promise<void> {}
}

export const CHAINS = 8;
export const CHAIN_LENGTH = 6;

export const dag: DagOptions = {
  dagId: 'bench',
  schedule: null,
  isPausedUponCreation: false,
  maxActiveRuns: 10,
};

export function createPipeline(params: { pipelineRoot?: string; metadataPath?: string }): Pipeline {
  const start = new NoopTask('start', []);
  const ends: Channel[] = [];
  const components: Component[] = [start];
  for (let c = 0; c < CHAINS; c++) {
    let previous = start.outputs.out;
    for (let i = 0; i < CHAIN_LENGTH; i++) {
      const task = new NoopTask(`chain${c}_${i}`, [previous]);
      components.push(task);
      previous = task.outputs.out;
    }
    ends.push(previous);
  }
  components.push(new NoopTask('end', ends));
  return new Pipeline({
    name: 'bench',
    pipelineRoot:
      params.pipelineRoot ?? join(__dirname, '..', '..', 'build', 'bench', 'scheduler-root'),
    metadataPath: params.metadataPath,
    enableCache: false,
    components,
  });
}
