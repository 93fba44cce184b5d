import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePipelineIr, pipelineEdges, type PipelineIr } from '@tsfx/protocol';
import { MetadataStore } from '../../../kernel-lib/src/metadata/MetadataStore';
import {
  PIPELINE_IR_PROPERTY,
  readPipelineIrFile,
  recordRunIr,
  runIrPath,
  storedRunIr,
} from '../../../kernel-lib/src/orchestration/pipelineIr';
import { runPipeline } from '../../../kernel-lib/src/orchestration/runPipeline';
import { Pipeline } from '../../../kernel-lib/src/pipeline/Pipeline';
import { tempDir, writeFile } from '../../helpers';
import { JoinsOptional, UpperText, WriteText } from '../fixtures';

function fixturePipeline(root: string): Pipeline {
  const moduleFile = writeFile(root, 'module.ts', 'v1:');
  const write = new WriteText('hello');
  const upper = new UpperText(write.outputs.out, moduleFile);
  const joined = new JoinsOptional(write.outputs.out, upper.outputs.out);
  return new Pipeline({
    name: 'ir',
    pipelineRoot: join(root, 'pipeline'),
    metadataPath: join(root, 'm.sqlite'),
    components: [joined, upper, write],
  });
}

describe('pipeline IR', () => {
  it('pipeline.toJSON(): components in DAG order, parameters, channels, output types, module hashes', () => {
    const root = tempDir();
    const ir = fixturePipeline(root).toJSON();
    const expected: PipelineIr = {
      irVersion: 1,
      name: 'ir',
      pipelineRoot: join(root, 'pipeline'),
      metadataPath: join(root, 'm.sqlite'),
      enableCache: true,
      components: [
        {
          id: 'WriteText',
          type: 'WriteText',
          parameters: { text: 'hello' },
          inputs: {},
          outputs: { out: 'Schema' },
          moduleFiles: [],
        },
        {
          id: 'UpperText',
          type: 'UpperText',
          parameters: { moduleFile: join(root, 'module.ts') },
          inputs: { text: { channel: 'WriteText.out', optional: false } },
          outputs: { out: 'ExampleStatistics' },
          // sha256 of "v1:" (from sha256sum).
          moduleFiles: [
            {
              path: join(root, 'module.ts'),
              sha256: 'f7c3668944a7d72cbe71e9398d7d570b6d573456b6524b9e0e0633aa794f4061',
            },
          ],
        },
        {
          id: 'JoinsOptional',
          type: 'JoinsOptional',
          parameters: {},
          inputs: {
            text: { channel: 'WriteText.out', optional: false },
            extra: { channel: 'UpperText.out', optional: true },
          },
          outputs: { out: 'Schema' },
          moduleFiles: [],
        },
      ],
    };
    assert.deepEqual(ir, expected);
    // What a tool reads back from JSON passes the protocol's schema unchanged.
    assert.deepEqual(parsePipelineIr(JSON.parse(JSON.stringify(ir))), expected);
    assert.deepEqual(pipelineEdges(ir), [
      { from: 'WriteText', output: 'out', to: 'UpperText', input: 'text', optional: false },
      { from: 'WriteText', output: 'out', to: 'JoinsOptional', input: 'text', optional: false },
      { from: 'UpperText', output: 'out', to: 'JoinsOptional', input: 'extra', optional: true },
    ]);
  });

  it('each run records its IR in its run context and in <pipelineRoot>/.runs/<run id>/pipeline.json', async () => {
    const root = tempDir();
    const pipeline = fixturePipeline(root);
    const { runId } = await runPipeline(pipeline);
    const file = runIrPath(pipeline.pipelineRoot, runId);
    assert.equal(file, join(root, 'pipeline', '.runs', runId, 'pipeline.json'));
    const expected = JSON.parse(JSON.stringify(pipeline.toJSON())) as PipelineIr;
    assert.deepEqual(readPipelineIrFile(file), expected);
    const store = new MetadataStore(pipeline.metadataPath);
    assert.deepEqual(storedRunIr(store, 'ir', runId), expected);
    assert.equal(store.getContext('pipeline_run', `ir/${runId}`)?.properties.run_id, runId);
    store.close();

    // A component joining that run later (its own process) keeps the IR the run started with.
    writeFileSync(join(root, 'module.ts'), 'v2:');
    await runPipeline(fixturePipeline(root), { runId, componentIds: ['UpperText'] });
    assert.deepEqual(readPipelineIrFile(file), expected);
    const again = new MetadataStore(pipeline.metadataPath);
    assert.deepEqual(storedRunIr(again, 'ir', runId), expected);
    again.close();
  });

  it("a run's stored IR is checked unless it is the very IR this process would record", () => {
    const root = tempDir();
    const pipeline = fixturePipeline(root);
    const store = new MetadataStore(pipeline.metadataPath);
    const plant = (runId: string, text: string): void => {
      const context = store.context('pipeline_run', `ir/${runId}`);
      store.setContextProperties(context, { [PIPELINE_IR_PROPERTY]: text, run_id: runId });
    };
    const text = JSON.stringify(pipeline.toJSON());
    plant('same', text);
    assert.deepEqual(recordRunIr(store, pipeline, 'same'), JSON.parse(text));
    // Differing: valid or not, it is checked (and kept when valid).
    plant('broken', JSON.stringify({ ...JSON.parse(text), pipelineRoot: undefined }));
    assert.throws(() => recordRunIr(store, pipeline, 'broken'), /^Error: pipelineRoot: missing$/);
    const other = { ...JSON.parse(text), enableCache: false } as PipelineIr;
    plant('other', JSON.stringify(other));
    assert.deepEqual(recordRunIr(store, pipeline, 'other'), other);
    store.close();
  });

  it('reading a pipeline.json that is not an IR names the file and the problem', () => {
    const dir = tempDir();
    const notJson = writeFile(dir, 'a.json', '{"irVersion": 1,');
    assert.throws(() => readPipelineIrFile(notJson), new RegExp(`^TsfxError: ${notJson}: `));
    const wrong = writeFile(dir, 'b.json', JSON.stringify({ irVersion: 1, name: 'x' }));
    assert.throws(
      () => readPipelineIrFile(wrong),
      new RegExp(`^TsfxError: ${wrong}: not a pipeline IR: pipelineRoot: missing$`),
    );
    const badType = writeFile(
      dir,
      'c.json',
      JSON.stringify({ ...JSON.parse(readFileSync(wrong, 'utf8')), irVersion: 1, pipelineRoot: 5 }),
    );
    assert.throws(
      () => readPipelineIrFile(badType),
      /not a pipeline IR: pipelineRoot: expected string, got 5$/,
    );
  });
});
