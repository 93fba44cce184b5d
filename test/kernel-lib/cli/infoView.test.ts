// `tsfx info` (where the dags folder, store, scheduler state, logs and API socket are: what the
// Jupyter server extension asks) and `tsfx view` (the payload show() draws, which the DAG panel
// opens through that extension).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIME_TYPES, SchemaPayloadSchema } from '@tsfx/protocol';
import * as v from 'valibot';
import { runCli, TAXI_CSV, tempDir } from '../../helpers';
import { runTaxiChain } from '../taxiChain';

describe('tsfx info', () => {
  it('prints the paths every command resolves, from --metadata, -S and the environment', () => {
    const root = tempDir();
    const json = runCli(
      ['info', '-o', 'json', '--metadata', join(root, 'm.sqlite'), '-S', 'dags'],
      {
        cwd: root,
        env: { TSFX_LOGS_FOLDER: undefined, TSFX_METADATA: undefined, TSFX_DAGS_FOLDER: undefined },
      },
    );
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      dags_folder: join(root, 'dags'),
      metadata: join(root, 'm.sqlite'),
      scheduler_state: join(root, 'scheduler.sqlite'),
      logs_folder: join(root, 'logs'),
      api_socket: join(root, 'scheduler.sock'),
    });
    const fromEnv = runCli(['info', '-o', 'json'], {
      cwd: root,
      env: { TSFX_METADATA: join(root, 'store', 'x.sqlite'), TSFX_DAGS_FOLDER: '/somewhere/dags' },
    });
    const info = JSON.parse(fromEnv.stdout) as Record<string, string>;
    assert.equal(info.api_socket, join(root, 'store', 'scheduler.sock'));
    assert.equal(info.dags_folder, '/somewhere/dags');
    const table = runCli(['info'], { cwd: root });
    assert.match(table.stdout, /api_socket\s+.*\.tsfx\/scheduler\.sock/);
  });
});

describe('tsfx view', () => {
  it("prints an artifact's view as show() builds it: kind, MIME type and checked payload", async () => {
    const root = tempDir();
    const data = join(root, 'data');
    mkdirSync(data);
    writeFileSync(
      join(data, 'data.csv'),
      readFileSync(TAXI_CSV, 'utf8').split('\n').slice(0, 301).join('\n'),
    );
    const chain = await runTaxiChain(join(root, 'p'), data);
    const schema = chain.schemaGen.outputs.schema.artifacts[0]!;
    chain.store.close();
    const metadata = join(root, 'p', 'metadata.sqlite');

    const result = runCli(['view', String(schema.id), '--metadata', metadata, '-o', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const view = JSON.parse(result.stdout) as {
      kind: string;
      mime: string;
      type: string;
      payload: unknown;
    };
    assert.equal(view.kind, 'schema');
    assert.equal(view.type, 'Schema');
    assert.equal(view.mime, MIME_TYPES.schema);
    const payload = v.parse(SchemaPayloadSchema, view.payload);
    const names = payload.schema.feature.map((f) => f.name);
    // The taxi CSV's header (the 18 columns), as SchemaGen infers one feature per column.
    assert.equal(names.length, 18);
    assert.ok(names.includes('fare') && names.includes('payment_type'), names.join(','));

    const text = runCli(['view', String(schema.id), '--metadata', metadata]);
    assert.match(text.stdout, /Schema/);

    const missing = runCli(['view', '999', '--metadata', metadata, '-o', 'json']);
    assert.equal(missing.status, 1);
    assert.equal(missing.lastLine, `error: no artifact 999 in ${metadata}`);
    const bad = runCli(['view', 'x', '--metadata', metadata]);
    assert.equal(bad.lastLine, 'error: artifact_id: expected a whole number >= 1, got "x"');
  });
});
