// A worker thread that reads one range of a CSV file (see splitRange.ts) and posts its result.
import { parentPort } from 'node:worker_threads';
import { threadInput } from '../workerThread';
import { splitRange, type RangeJob } from './splitRange';

parentPort!.postMessage(splitRange(threadInput<RangeJob>().job));
