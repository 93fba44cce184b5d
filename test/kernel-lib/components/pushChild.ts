// A Pusher run in its own process, for kill -9 tests. Arguments: pipeline root, model artifact
// id, blessing artifact id, serving base directory, and where to stop (print READY and hang):
// `copyFile:N` / `rename:N` hang at the Nth call of that fs/promises function (a slow disk),
// `log:TEXT` blocks in the first log line containing TEXT. The parent then kills it.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { Pusher } from '../../../kernel-lib/src/components/Pusher';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { runComponent } from '../../../kernel-lib/src/orchestration/runComponent';
import { runContextName } from '../../../kernel-lib/src/orchestration/runTarget';
import { Channel } from '../../../kernel-lib/src/pipeline/Channel';
import { WriteText } from '../fixtures';

const [root, modelId, blessingId, baseDirectory, stopAt] = process.argv.slice(2);
const [kind, arg] = stopAt.split(/:(.*)/s);

function ready(): void {
  writeSync(1, 'READY\n');
}

if (kind === 'copyFile' || kind === 'rename') {
  // The executor calls these through the module object, so replacing them here reaches it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fsp = require('node:fs/promises') as Record<string, (...args: unknown[]) => Promise<void>>;
  const original = fsp[kind];
  let calls = 0;
  fsp[kind] = (...args: unknown[]) => {
    if (++calls !== Number(arg)) return original(...args);
    ready();
    setInterval(() => {}, 60_000);
    return new Promise<void>(() => {});
  };
}

function log(message: string): void {
  if (kind === 'log' && message.includes(arg)) {
    ready();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}

const store = new MetadataStore(join(root, 'metadata.sqlite'));
// Inputs are resolved from the store: the executions that wrote the given model and blessing are
// put in this run (as a scheduled run's earlier tasks would be), and stand-ins named after them
// make the Pusher's channels, so it reads exactly those two artifacts.
const target = { pipelineName: 'p', pipelineRoot: root, runId: 'killed' };
const runContext = store.context('pipeline_run', runContextName(target));
const standIn = (artifactId: string): WriteText => {
  const producer = store.getProducer(Number(artifactId))!;
  store.associate(runContext, producer.id);
  return new WriteText('stand-in producer').withId(producer.componentId);
};
const model = new Channel('Model', standIn(modelId), 'model');
const blessing = new Channel('ModelBlessing', standIn(blessingId), 'blessing');
const pusher = new Pusher({
  model,
  modelBlessing: blessing,
  pushDestination: { filesystem: { baseDirectory } },
});
runComponent(store, target, pusher, {
  enableCache: false,
  reporter: { log, progress() {}, end() {} },
}).then(
  () => writeSync(1, 'DONE\n'),
  (error: unknown) => {
    writeSync(2, `${String(error)}\n`);
    process.exit(1);
  },
);
