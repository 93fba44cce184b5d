// A worker thread of the Evaluator: scores one run of the examples (see parallelScoring.ts).
import { parentPort } from 'node:worker_threads';
import { threadInput } from '../workerThread';
import { scoreJob, type ScoreJob, type ScoreReply } from './parallelScoring';

const reply = (message: ScoreReply, transfer: ArrayBuffer[] = []) =>
  parentPort!.postMessage(message, transfer);

const { job, stopRequested } = threadInput<ScoreJob>();
scoreJob(job, stopRequested).then(
  ({ scores, slices }) => {
    const arrays = [scores.labels, ...scores.predictions, ...scores.sliceIds];
    reply(
      { ok: true, scores, slices },
      arrays.map((a) => a.buffer as ArrayBuffer),
    );
  },
  (error: Error) => reply({ ok: false, message: error.message, tsfx: error.name === 'TsfxError' }),
);
