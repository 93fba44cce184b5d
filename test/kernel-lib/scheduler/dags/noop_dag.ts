// A small DAG for the scheduler's tests: `extract`, then `left` and `right` reading it. Each task
// writes a token of its own (and the token it read) so that tests can tell whose files an
// artifact holds; run config (params) makes a task sleep, fail once, fail always or skip.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Component,
  Pipeline,
  SkipComponent,
  type Channel,
  type DagOptions,
  type ExecutorContext,
} from 'tsfx';

interface NoopParameters {
  [key: string]: string | number;
  sleepMs: number;
  /** `fail`: throw; `fail-once:<marker file>`: throw unless the marker exists (then create it); `skip`. */
  behaviour: string;
}

class Noop extends Component<NoopParameters> {
  readonly type = 'Noop';
  constructor(id: string, parameters: NoopParameters, input?: Channel) {
    super({ inputs: { input }, outputs: { out: 'Schema' }, parameters });
    this.withId(id);
  }
  async execute({
    inputs,
    outputs,
    parameters,
    log,
    progress,
  }: ExecutorContext<NoopParameters>): Promise<void> {
    const token = randomUUID();
    writeFileSync(join(outputs.out.uri, 'token.txt'), token);
    const read = inputs.input ? readFileSync(join(inputs.input[0].uri, 'token.txt'), 'utf8') : '';
    log(`wrote token ${token}`);
    if (parameters.sleepMs > 0) {
      console.log('SLEEPING');
      await new Promise((resolve) => setTimeout(resolve, parameters.sleepMs));
    }
    progress({ step: 1, total: 1 });
    const [mode, marker] = parameters.behaviour.split(/:(.*)/);
    if (mode === 'fail') throw new Error('told to fail');
    if (mode === 'fail-once' && !existsSync(marker)) {
      writeFileSync(marker, 'failed once');
      throw new Error('told to fail once');
    }
    if (mode === 'skip') throw new SkipComponent('told to skip');
    outputs.out.properties = { token, read };
  }
}

export const dag: DagOptions = {
  dagId: 'noop',
  schedule: null,
  isPausedUponCreation: false,
  maxActiveRuns: 200,
  params: { sleep: '', fail: '', skip: '', failOnce: '', sleepMs: 0 },
};

export function createPipeline(params: {
  pipelineRoot?: string;
  metadataPath?: string;
  enableCache?: boolean;
  /** Task ids, comma-separated. */
  sleep?: string;
  fail?: string;
  skip?: string;
  /** `<task id>:<marker file>`. */
  failOnce?: string;
  sleepMs?: number;
  /** The pipeline's name (another DAG reusing these tasks names its own). */
  name?: string;
}): Pipeline {
  const has = (list: string | undefined, id: string) => (list ?? '').split(',').includes(id);
  const behaviour = (id: string): string => {
    if (has(params.fail, id)) return 'fail';
    if (has(params.skip, id)) return 'skip';
    const [once, marker] = (params.failOnce ?? '').split(/:(.*)/);
    if (once === id) return `fail-once:${marker}`;
    return 'ok';
  };
  const task = (id: string, input?: Channel) =>
    new Noop(
      id,
      { sleepMs: has(params.sleep, id) ? (params.sleepMs ?? 0) : 0, behaviour: behaviour(id) },
      input,
    );
  const extract = task('extract');
  const left = task('left', extract.outputs.out);
  const right = task('right', extract.outputs.out);
  const name = params.name ?? 'noop';
  const root =
    params.pipelineRoot ??
    join(params.metadataPath ? join(params.metadataPath, '..') : __dirname, name);
  return new Pipeline({
    name,
    pipelineRoot: root,
    metadataPath: params.metadataPath,
    enableCache: params.enableCache ?? false,
    components: [extract, left, right],
  });
}
