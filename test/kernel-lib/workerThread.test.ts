import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInWorkerThread } from '../../kernel-lib/src/workerThread';

const MODULE = JSON.stringify(join(__dirname, '../../kernel-lib/src/workerThread.ts'));
/** A thread that answers with its job doubled once asked to stop (or at once, if job is 0). */
const POLITE = `require('tsx/cjs');
const { parentPort } = require('node:worker_threads');
const { job, stopRequested } = require(${MODULE}).threadInput();
const poll = () => (job === 0 || stopRequested() ? parentPort.postMessage(job * 2) : setTimeout(poll, 5));
poll();`;

describe('runInWorkerThread', () => {
  it("answers with the thread's message", async () => {
    assert.equal(await runInWorkerThread<number>(POLITE, 0, 'a thread'), 0);
  });

  it('asks a cooperative thread to stop and waits for its end instead of terminating it', async () => {
    const stop = new AbortController();
    const running = runInWorkerThread<number>(POLITE, 21, 'a thread', {
      signal: stop.signal,
      cooperative: true,
    });
    setTimeout(() => stop.abort(), 50);
    // A terminated thread could not have answered.
    assert.equal(await running, 42);
  });

  it('terminates a thread that does not poll, with `interrupted`', async () => {
    const stop = new AbortController();
    const running = runInWorkerThread('for (;;);', null, 'a thread', { signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await assert.rejects(running, { name: 'TsfxError', message: 'interrupted' });
  });

  it('names the thread that exits without answering, and passes on its error', async () => {
    await assert.rejects(runInWorkerThread('process.exit(3)', null, 'a test thread'), {
      message: 'a test thread exited with code 3 without answering',
    });
    await assert.rejects(runInWorkerThread("throw new RangeError('bad')", null, 'a thread'), {
      name: 'RangeError',
      message: 'bad',
    });
  });
});
