// latestArtifacts(pipelineName): what a pipeline run elsewhere (tsfx run, the scheduler) produced,
// read from its store with no id written down.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { latestArtifacts } from '../../../kernel-lib/src/interactive/latestArtifacts';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import { runPipeline } from '../../../kernel-lib/src/orchestration/runPipeline';
import { Pipeline } from '../../../kernel-lib/src/pipeline/Pipeline';
import { tempDir } from '../../helpers';
import { UpperText, WriteText } from '../fixtures';

function textPipeline(root: string, name: string, text: string): Pipeline {
  const write = new WriteText(text);
  const upper = new UpperText(write.outputs.out);
  return new Pipeline({
    name,
    pipelineRoot: join(root, name),
    metadataPath: join(root, 'metadata.sqlite'),
    components: [write, upper],
  });
}

const read = (uri: string) => readFileSync(join(uri, 'text.txt'), 'utf8');

describe('latestArtifacts', () => {
  it("reads the newest LIVE output of each component of the pipeline's latest run", async () => {
    const root = tempDir();
    const metadataPath = join(root, 'metadata.sqlite');
    await runPipeline(textPipeline(root, 'p', 'one'));
    await runPipeline(textPipeline(root, 'p', 'two'));
    // Another pipeline in the same store, run last, is not read.
    await runPipeline(textPipeline(root, 'other', 'three'));

    const latest = latestArtifacts('p', { metadataPath });
    assert.deepEqual(Object.keys(latest), ['WriteText', 'UpperText']);
    assert.deepEqual(Object.keys(latest.WriteText), ['out']);
    assert.equal(read(latest.WriteText.out.uri), 'two');
    assert.equal(read(latest.UpperText.out.uri), 'TWO');
    assert.equal(latest.UpperText.out.type, 'ExampleStatistics');
    assert.equal(latest.UpperText.out.state, 'LIVE');
    assert.equal(latest.UpperText.out.metadataPath, metadataPath);
    assert.equal(read(latestArtifacts('other', { metadataPath }).UpperText.out.uri), 'THREE');
  });

  it('takes the store from TSFX_METADATA by default, and names a pipeline that never ran', async () => {
    const root = tempDir();
    const metadataPath = join(root, 'metadata.sqlite');
    await runPipeline(textPipeline(root, 'p', 'env'));
    const saved = process.env.TSFX_METADATA;
    process.env.TSFX_METADATA = metadataPath;
    try {
      assert.equal(read(latestArtifacts('p').WriteText.out.uri), 'env');
    } finally {
      if (saved === undefined) delete process.env.TSFX_METADATA;
      else process.env.TSFX_METADATA = saved;
    }
    assert.throws(
      () => latestArtifacts('nope', { metadataPath }),
      new RegExp(`no run of pipeline nope in ${metadataPath} yet$`),
    );
    const missing = join(root, 'none.sqlite');
    assert.throws(
      () => latestArtifacts('p', { metadataPath: missing }),
      new RegExp(`no metadata store at ${missing}: run the pipeline first`),
    );
    assert.ok(!existsSync(missing), 'no store is created');
  });

  it('leaves out a component whose outputs are no longer LIVE', async () => {
    const root = tempDir();
    const metadataPath = join(root, 'metadata.sqlite');
    await runPipeline(textPipeline(root, 'p', 'gone'));
    const store = new MetadataStore(metadataPath);
    for (const a of store.getArtifacts({ type: 'ExampleStatistics' })) {
      store.updateArtifact(a.id, { state: 'DELETED' });
    }
    store.close();
    assert.deepEqual(Object.keys(latestArtifacts('p', { metadataPath })), ['WriteText']);
  });
});
