import type { RawRow } from '../transform/graph';

interface Job {
  rows: readonly RawRow[];
  scores: Float32Array;
  /** Rows scored so far. */
  done: number;
  resolve(scores: Float32Array): void;
  reject(error: unknown): void;
}

/**
 * Scores the rows of concurrent requests together. Scoring is synchronous (TensorFlow.js on the
 * wasm backend runs on this thread), so requests that arrive while the event loop is busy queue
 * up; each turn of the loop scores up to `maxRows` queued rows in one model call, whose fixed
 * cost is then shared, and yields before the next, so that one large request never holds the
 * loop for long and small ones keep flowing past it.
 */
export class Microbatcher {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly predict: (rows: readonly RawRow[]) => Float32Array,
    private readonly options: { maxRows: number; acrossRequests: boolean },
  ) {}

  score(rows: readonly RawRow[]): Promise<Float32Array> {
    if (rows.length === 0) return Promise.resolve(new Float32Array(0));
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, scores: new Float32Array(rows.length), done: 0, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Jobs waiting or half scored. */
  get pending(): number {
    return this.queue.length;
  }

  private flush(): void {
    const parts: { job: Job; start: number; count: number }[] = [];
    let total = 0;
    for (const job of this.queue) {
      if (total >= this.options.maxRows || (parts.length > 0 && !this.options.acrossRequests))
        break;
      const count = Math.min(job.rows.length - job.done, this.options.maxRows - total);
      parts.push({ job, start: job.done, count });
      total += count;
    }
    const rows =
      parts.length === 1 && parts[0].count === parts[0].job.rows.length
        ? parts[0].job.rows
        : parts.flatMap((p) => p.job.rows.slice(p.start, p.start + p.count));
    let scores: Float32Array | null = null;
    let failure: unknown = null;
    try {
      scores = this.predict(rows);
    } catch (error) {
      failure = error;
    }
    let offset = 0;
    for (const { job, start, count } of parts) {
      if (scores) {
        job.scores.set(scores.subarray(offset, offset + count), start);
        job.done += count;
        if (job.done === job.rows.length) job.resolve(job.scores);
      } else {
        job.done = job.rows.length;
        job.reject(failure);
      }
      offset += count;
    }
    this.queue = this.queue.filter((job) => job.done < job.rows.length);
    this.scheduled = this.queue.length > 0;
    if (this.scheduled) setImmediate(() => this.flush());
  }
}
