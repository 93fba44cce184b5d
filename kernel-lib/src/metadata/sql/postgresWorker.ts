/**
 * The worker thread behind `PostgresConnection`: `pg` is asynchronous, the metadata store is not,
 * so the store's thread posts each statement here and waits (synckit: a SharedArrayBuffer and
 * Atomics.wait) until this thread has the answer. One `pg.Client` per open store, so that a
 * store's BEGIN … COMMIT stays on one connection.
 */
import { Client, types } from 'pg';
import { runAsWorker } from 'synckit';
import type { PostgresCall } from './postgresConnection';

// BIGINT (ids, millisecond times) and COUNT come back as JavaScript numbers, as from SQLite.
types.setTypeParser(20, (value) => Number(value));

const clients = new Map<number, Client>();
let nextId = 1;

runAsWorker(async (call: PostgresCall): Promise<unknown> => {
  if (call.op === 'open') {
    const client = new Client({ connectionString: call.url });
    await client.connect();
    const id = nextId++;
    clients.set(id, client);
    return id;
  }
  const client = clients.get(call.id);
  if (!client) throw new Error(`PostgreSQL connection ${call.id} is closed`);
  if (call.op === 'close') {
    clients.delete(call.id);
    await client.end();
    return null;
  }
  const result =
    call.params === null ? await client.query(call.sql) : await client.query(call.sql, call.params);
  return result.rows as unknown;
});
