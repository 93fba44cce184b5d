// A Pusher run in its own process, for kill -9 tests. Arguments: pipeline root, model artifact
// id, blessing artifact id, serving base directory, and where to stop (print READY and hang):
// `copyFile:N` / `rename:N` hang at the Nth call of that fs/promises function (a slow disk),
// `log:TEXT` blocks in the first log line containing TEXT. The parent then kills it.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { Pusher } from '../../../kernel-lib/src/components/Pusher';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { runComponent } from '../../../kernel-lib/src/orchestration/runComponent';
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
const upstream = new WriteText('stand-in producer of the existing artifacts');
const model = new Channel('Model', upstream, 'model');
model.artifacts = [store.getArtifact(Number(modelId))!];
const blessing = new Channel('ModelBlessing', upstream, 'blessing');
blessing.artifacts = [store.getArtifact(Number(blessingId))!];
const pusher = new Pusher({
  model,
  modelBlessing: blessing,
  pushDestination: { filesystem: { baseDirectory } },
});
runComponent(store, { pipelineName: 'p', pipelineRoot: root, runId: 'killed' }, pusher, {
  enableCache: false,
  log,
}).then(
  () => writeSync(1, 'DONE\n'),
  (error: unknown) => {
    writeSync(2, `${String(error)}\n`);
    process.exit(1);
  },
);
