// A worker thread that reads one range of a CSV file (see splitRange.ts) and posts its result.
import { parentPort, workerData } from 'node:worker_threads';
import { splitRange, type RangeJob } from './splitRange';

parentPort!.postMessage(splitRange(workerData as RangeJob));
