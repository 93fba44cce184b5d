import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { notebookReporter } from '../../../kernel-lib/src/display/notebookProgress';
import { lineReporter, terminalReporter } from '../../../kernel-lib/src/display/progress';
import type { ExecutionResult } from '../../../kernel-lib/src/orchestration/runComponent';
import type { TrainingEvent } from '../../../kernel-lib/src/trainer/events';

const RESULT: ExecutionResult = {
  executionId: 3,
  componentId: 'Trainer',
  state: 'COMPLETE',
  cachedFrom: null,
  outputs: {
    model: [
      {
        id: 7,
        type: 'Model',
        uri: '/root/Trainer/model/3',
        state: 'LIVE',
        properties: {},
        createTime: 0,
        updateTime: 0,
      },
    ],
  },
  durationMs: 1234,
};

describe('progress reporters', () => {
  it('lines: each log line, a progress line per tenth, and the outcome', () => {
    const lines: string[] = [];
    const reporter = lineReporter('Trainer', (line) => lines.push(line), { endLine: true });
    reporter.log('starting');
    for (let step = 0; step <= 200; step++) {
      reporter.progress({ step, total: 200, metrics: { loss: 1 / (step + 1), val_auc: null } });
    }
    reporter.end({ result: RESULT });
    assert.equal(lines[0], 'Trainer: starting');
    assert.deepEqual(lines.slice(1, 4), [
      'Trainer: step 0/200 (0%) loss 1.0000 val_auc –',
      'Trainer: step 20/200 (10%) loss 0.0476 val_auc –',
      'Trainer: step 40/200 (20%) loss 0.0244 val_auc –',
    ]);
    assert.equal(lines.length, 1 + 11 + 1);
    assert.equal(lines[11], 'Trainer: step 200/200 (100%) loss 0.0050 val_auc –');
    assert.equal(lines[12], 'Trainer: done in 1.2s (execution 3): model → /root/Trainer/model/3');
    const quiet: string[] = [];
    const noEnd = lineReporter('X', (line) => quiet.push(line));
    noEnd.end({ error: new Error('boom') });
    assert.deepEqual(quiet, []);
  });

  it('terminal: a bar redrawn in place, cut to the width, log lines above it, a newline at the end', () => {
    const written: string[] = [];
    const logged: string[] = [];
    const reporter = terminalReporter(
      'Trainer',
      { write: (text: string) => written.push(text), columns: 100 },
      (line) => logged.push(line),
    );
    reporter.progress({ step: 90, total: 200, metrics: { loss: 0.30121, val_auc: 0.9 } });
    assert.deepEqual(written, [
      '\r\x1b[KTrainer [##############................]  45% step 90/200 loss 0.3012 val_auc 0.9000',
    ]);
    reporter.log('epoch 1');
    assert.deepEqual(logged, ['Trainer: epoch 1']);
    assert.equal(written[1], '\r\x1b[K', 'the bar is cleared before the line');
    assert.equal(written[2], written[0], 'then drawn again');
    // The last step is always drawn (earlier ones at most every 100 ms).
    reporter.progress({ step: 200, total: 200 });
    assert.match(written[written.length - 1], /\[#{30}\] 100% step 200\/200$/);
    reporter.end({ result: RESULT });
    assert.equal(written[written.length - 1], '\n');
    const narrow: string[] = [];
    terminalReporter('Trainer', {
      write: (text: string) => narrow.push(text),
      columns: 20,
    }).progress({ step: 1, total: 2 });
    assert.deepEqual(narrow, ['\r\x1b[KTrainer [##########'], 'one line, never wrapped');
  });

  describe('notebook', () => {
    interface Message {
      data: Record<string, unknown>;
      transient?: { display_id?: string };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tslabJupyter = require('tslab/dist/jupyter') as {
      lastWriteDisplayData: ((m: Message, update?: boolean) => void) | null;
    };
    let sent: { message: Message; update: boolean }[] = [];
    beforeEach(() => {
      sent = [];
      tslabJupyter.lastWriteDisplayData = (message, update) =>
        sent.push({ message, update: Boolean(update) });
    });
    afterEach(() => {
      tslabJupyter.lastWriteDisplayData = null;
    });

    const metrics = { loss: 0.5, accuracy: 0.8, auc: 0.9 };
    const TRAINING: TrainingEvent[] = [
      {
        type: 'start',
        wallTime: 1,
        backend: 'wasm',
        trainExamples: 10,
        evalExamples: 5,
        batchSize: 5,
        numSteps: 2,
        stepsPerEpoch: 2,
      },
      { type: 'batch', step: 1, epoch: 1, wallTime: 2, examples: 5, train: metrics },
      { type: 'batch', step: 2, epoch: 1, wallTime: 3, examples: 10, train: metrics },
      { type: 'epoch', step: 2, epoch: 1, wallTime: 4, train: metrics, validation: metrics },
    ];
    const TRAINING_MIME = 'application/vnd.tsfx.training+json';
    const displays = () => [...new Set(sent.map((s) => s.message.transient?.display_id))];
    const lastOf = (id: string | undefined) =>
      sent.filter((s) => s.message.transient?.display_id === id).pop()!.message.data;

    it('a progress line, then a live training view, each one display updated in place', () => {
      const reporter = notebookReporter('Trainer');
      reporter.log('TensorFlow.js on wasm');
      for (const event of TRAINING) {
        reporter.progress({ step: 'step' in event ? event.step : 0, total: 2, training: event });
      }
      reporter.progress({
        step: 2,
        total: 2,
        training: {
          type: 'end',
          step: 2,
          wallTime: 5,
          trainSeconds: 1,
          examplesPerSecond: 10,
          validation: metrics,
        },
      });
      reporter.end({ result: RESULT });
      const [line, training] = displays();
      assert.ok(line && training && line !== training);
      assert.deepEqual(
        sent.filter((s) => !s.update).map((s) => s.message.transient?.display_id),
        [line, training],
        'two displays are created, everything else updates them',
      );
      assert.equal(
        lastOf(line)['text/plain'],
        'Trainer [done] done in 1.2s (execution 3): model → /root/Trainer/model/3',
      );
      const payload = lastOf(training)[TRAINING_MIME] as {
        status: string;
        progress: { step: number; numSteps: number };
      };
      assert.equal(payload.status, 'done');
      assert.deepEqual([payload.progress.step, payload.progress.numSteps], [2, 2]);
    });

    it('a failure shows on the line, and a training view without its end event as failed', () => {
      const reporter = notebookReporter('Trainer');
      reporter.progress({ step: 0, total: 2, training: TRAINING[0] });
      reporter.end({ error: new Error('disk on fire') });
      const [line, training] = displays();
      assert.equal(lastOf(line)['text/plain'], 'Trainer [failed] disk on fire');
      assert.equal((lastOf(training)[TRAINING_MIME] as { status: string }).status, 'failed');
    });

    it('progress without training events updates the line only', () => {
      const reporter = notebookReporter('Transform');
      reporter.progress({ step: 3, total: 3, metrics: { loss: 0.25 } });
      assert.equal(displays().length, 1);
      assert.equal(
        sent[sent.length - 1].message.data['text/plain'],
        'Transform [running] step 3/3 (100%) loss 0.2500',
      );
    });
  });
});
