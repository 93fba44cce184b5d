import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const BUFFER_BYTES = 1 << 20;

/**
 * One part file per split (`<dir>/<split index>.<part>.csv`), written through a buffer: the rows
 * a reader routed to each split, as CSV lines ending in LF, for DuckDB to read back in order.
 */
export class SplitParts {
  readonly paths: string[];
  private readonly fds: number[];
  private readonly buffers: Buffer[];
  private readonly used: number[];

  constructor(dir: string, numSplits: number, part: string) {
    this.paths = Array.from({ length: numSplits }, (_, split) => join(dir, `${split}.${part}.csv`));
    this.fds = this.paths.map((path) => openSync(path, 'w'));
    this.buffers = this.paths.map(() => Buffer.allocUnsafe(BUFFER_BYTES));
    this.used = this.paths.map(() => 0);
  }

  /** Appends `source[start, end)` (whole lines) to a split's part. */
  copy(split: number, source: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.used[split] + length > BUFFER_BYTES) this.flush(split);
    if (length > BUFFER_BYTES) {
      writeSync(this.fds[split], source, start, length);
      return;
    }
    source.copy(this.buffers[split], this.used[split], start, end);
    this.used[split] += length;
  }

  /** Appends `source[start, end)` and a line end. */
  copyLine(split: number, source: Buffer, start: number, end: number): void {
    this.copy(split, source, start, end);
    this.text(split, '\n');
  }

  /** Appends text (whole lines). */
  text(split: number, text: string): void {
    const length = Buffer.byteLength(text);
    if (this.used[split] + length > BUFFER_BYTES) this.flush(split);
    if (length > BUFFER_BYTES) {
      writeSync(this.fds[split], text);
      return;
    }
    this.used[split] += this.buffers[split].write(text, this.used[split]);
  }

  close(): void {
    this.fds.forEach((fd, split) => {
      this.flush(split);
      closeSync(fd);
    });
  }

  private flush(split: number): void {
    if (this.used[split] > 0) writeSync(this.fds[split], this.buffers[split], 0, this.used[split]);
    this.used[split] = 0;
  }
}
