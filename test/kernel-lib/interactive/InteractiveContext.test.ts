import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CsvExampleGen } from '../../../kernel-lib/src/components/CsvExampleGen';
import { InteractiveContext } from '../../../kernel-lib/src/interactive/InteractiveContext';
import { TAXI_CSV, tempDir } from '../../helpers';

interface Message {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

// The module through which tslab's own `display` sends messages; in a kernel, tslab sets this.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tslabJupyter = require('tslab/dist/jupyter') as {
  lastWriteDisplayData: ((m: Message, update?: boolean) => void) | null;
};

describe('InteractiveContext', () => {
  let sent: { message: Message; update: boolean }[] = [];
  beforeEach(() => {
    sent = [];
    tslabJupyter.lastWriteDisplayData = (message, update) =>
      sent.push({ message, update: Boolean(update) });
  });
  afterEach(() => {
    tslabJupyter.lastWriteDisplayData = null;
  });

  it('runs a component, updating one progress display in place', async () => {
    const context = new InteractiveContext({ pipelineRoot: tempDir() });
    const gen = new CsvExampleGen({ inputBase: TAXI_CSV });
    const result = await context.run(gen);
    assert.equal(result.state, 'COMPLETE');
    assert.equal(sent[0].update, false, 'the progress display is created');
    const id = sent[0].message.transient?.display_id;
    assert.ok(id);
    assert.ok(
      sent.slice(1).every((s) => s.update && s.message.transient?.display_id === id),
      'then only updated',
    );
    assert.match(
      String(sent[sent.length - 1].message.data['text/plain']),
      /^CsvExampleGen \[done\] done in/,
    );
    const again = await context.run(new CsvExampleGen({ inputBase: TAXI_CSV }));
    assert.equal(again.state, 'CACHED');
    assert.equal(context.metadata.getArtifacts({ type: 'Examples' }).length, 1);
    context.close();
  });

  it('shows examples as ONE display message carrying the tsfx JSON, HTML and text', async () => {
    const context = new InteractiveContext({ pipelineRoot: tempDir() });
    const gen = new CsvExampleGen({
      inputBase: TAXI_CSV,
      splits: [{ name: 'train', hashBuckets: 1 }],
    });
    await context.run(gen);
    sent = [];
    await context.show(gen.outputs.examples);
    assert.equal(sent.length, 1);
    const { data, metadata } = sent[0].message;
    assert.deepEqual(Object.keys(data).sort(), [
      'application/vnd.tsfx.examples+json',
      'text/html',
      'text/plain',
    ]);
    assert.deepEqual(metadata, {});
    const payload = data['application/vnd.tsfx.examples+json'] as {
      splits: { name: string; numRows: number; sampleRows: unknown[][] }[];
    };
    assert.deepEqual(
      payload.splits.map((s) => [s.name, s.numRows, s.sampleRows.length]),
      [['train', 15000, 10]],
    );
    // The first row of the CSV is the first sample row (file order is kept).
    assert.deepEqual(payload.splits[0].sampleRows[0].slice(0, 3), [60, 27.05, 10]);
    sent = [];
    context.showLineage(gen.outputs.examples);
    assert.deepEqual(Object.keys(sent[0].message.data).sort(), [
      'application/vnd.tsfx.lineage+json',
      'text/html',
      'text/plain',
    ]);
    context.close();
  });

  it('refuses to show what has not run, by channel or by id', async () => {
    const context = new InteractiveContext({ pipelineRoot: tempDir() });
    const gen = new CsvExampleGen({ inputBase: TAXI_CSV });
    await assert.rejects(
      context.show(gen.outputs.examples),
      /has no artifact yet: run CsvExampleGen first/,
    );
    await assert.rejects(context.show(42), /no artifact 42/);
    context.close();
  });

  it('without a pipeline root, uses a temporary folder and warns, as TFX does', () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => warnings.push(message);
    let context: InteractiveContext | undefined;
    try {
      context = new InteractiveContext();
      assert.ok(existsSync(context.pipelineRoot));
      assert.equal(context.metadataPath, join(context.pipelineRoot, 'metadata.sqlite'));
      assert.match(warnings[0], /pipelineRoot not provided: using temporary folder/);
    } finally {
      console.warn = original;
      context?.close();
      if (context) rmSync(context.pipelineRoot, { recursive: true, force: true });
    }
  });
});
