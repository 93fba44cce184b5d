// Every DuckDB connection is bounded: a memory limit (512MB unless the caller or
// TSFX_DUCKDB_MEMORY_LIMIT says otherwise) and its own spill directory, removed when it closes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckDBOptions, openDuckDB, withDuckDB } from '../../../kernel-lib/src/duckdb/withDuckDB';
import { tempDir } from '../../helpers';

/** DuckDB's own display of a memory limit given as `limit`. */
async function displayed(limit: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: limit });
  const connection = await instance.connect();
  const [[value]] = (
    await connection.runAndReadAll(`SELECT current_setting('memory_limit')`)
  ).getRows();
  connection.closeSync();
  instance.closeSync();
  return String(value);
}

const setting = (name: string) =>
  withDuckDB(async (db) => {
    const [[value]] = (await db.runAndReadAll(`SELECT current_setting('${name}')`)).getRows();
    return String(value);
  });

describe('openDuckDB', () => {
  it('bounds memory at 512MB by default, not at 80% of RAM', async () => {
    const saved = process.env.TSFX_DUCKDB_MEMORY_LIMIT;
    delete process.env.TSFX_DUCKDB_MEMORY_LIMIT;
    try {
      assert.equal(await setting('memory_limit'), await displayed('512MB'));
    } finally {
      if (saved !== undefined) process.env.TSFX_DUCKDB_MEMORY_LIMIT = saved;
    }
  });

  it("takes the caller's limit, and TSFX_DUCKDB_MEMORY_LIMIT over it", () => {
    assert.equal(duckDBOptions({ memoryLimit: '128MB' }, '/spill', {}).memory_limit, '128MB');
    const env = { TSFX_DUCKDB_MEMORY_LIMIT: '2GB' };
    assert.equal(duckDBOptions({ memoryLimit: '128MB' }, '/spill', env).memory_limit, '2GB');
    assert.equal(duckDBOptions({}, '/spill', {}).temp_directory, '/spill');
    assert.equal(duckDBOptions({ threads: 2 }, '/spill', {}).threads, '2');
  });

  it('spills beyond the limit into its own directory, removed on close', async () => {
    const base = tempDir();
    const db = await openDuckDB({ memoryLimit: '64MB', tempDirectory: base });
    // About 85 MB of strings in an in-memory table: DuckDB must spill them to disk.
    await db.connection.run(
      `CREATE TABLE t AS SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(1200000) r(i)`,
    );
    const files = (
      await db.connection.runAndReadAll(`SELECT path FROM duckdb_temporary_files()`)
    ).getRows();
    assert.ok(files.length > 0, 'nothing spilled');
    const spill = dirname(String(files[0][0]));
    assert.equal(dirname(spill), base);
    const [[count]] = (
      await db.connection.runAndReadAll(`SELECT count(*) FROM t WHERE length(s) = 64`)
    ).getRows();
    assert.equal(Number(count), 1200000);
    db.close();
    assert.equal(existsSync(spill), false);
    assert.deepEqual(readdirSync(base), []);
  });

  it('removes its spill directory when the work throws', async () => {
    const base = tempDir();
    await assert.rejects(
      withDuckDB(
        async (db) => {
          await db.run('SELECT * FROM no_such_table');
        },
        { tempDirectory: base },
      ),
      /no_such_table/,
    );
    assert.deepEqual(readdirSync(base), []);
  });

  it('spills under TSFX_DUCKDB_TEMP_DIRECTORY when the caller names no directory', async () => {
    const base = tempDir();
    const saved = process.env.TSFX_DUCKDB_TEMP_DIRECTORY;
    process.env.TSFX_DUCKDB_TEMP_DIRECTORY = base;
    try {
      const directory = await setting('temp_directory');
      assert.equal(dirname(directory), base);
    } finally {
      if (saved === undefined) delete process.env.TSFX_DUCKDB_TEMP_DIRECTORY;
      else process.env.TSFX_DUCKDB_TEMP_DIRECTORY = saved;
    }
  });
});
