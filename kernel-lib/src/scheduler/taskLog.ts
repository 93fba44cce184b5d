import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
  existsSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * One log file per task try, Airflow's layout: `<logs>/<dag>/<run>/<task>/<try>.log`. The task
 * process writes it (its component's log and progress lines, and anything it prints); the API
 * and `tsfx tasks logs` read it, from an offset when following.
 */
export function taskLogPath(
  logsFolder: string,
  key: { dagId: string; runId: string; taskId: string },
  tryNumber: number,
): string {
  return join(logsFolder, key.dagId, key.runId, key.taskId, `${tryNumber}.log`);
}

/** A log file open for appending: each line stamped with the time, written at once (no buffer). */
export interface TaskLogWriter {
  readonly path: string;
  line(message: string, level?: 'INFO' | 'WARNING' | 'ERROR'): void;
  /** Raw text (what the task printed), stamped line by line. */
  raw(text: string): void;
  close(): void;
}

export function openTaskLog(path: string): TaskLogWriter {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  let closed = false;
  const write = (text: string): void => {
    if (!closed) writeSync(fd, text);
  };
  return {
    path,
    line(message, level = 'INFO') {
      const stamp = new Date().toISOString();
      write(
        message
          .split('\n')
          .map((l) => `[${stamp}] ${level} - ${l}\n`)
          .join(''),
      );
    },
    raw(text) {
      const stamp = new Date().toISOString();
      const lines = text.replace(/\n$/, '').split('\n');
      write(lines.map((l) => `[${stamp}] OUTPUT - ${l}\n`).join(''));
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/**
 * A log's text from byte `offset` on, and the offset to continue from (Airflow's continuation
 * token). A try that has not written yet reads as empty.
 */
export function readTaskLog(path: string, offset = 0): { content: string; next: number } {
  if (!existsSync(path)) return { content: '', next: offset };
  const size = statSync(path).size;
  if (offset >= size) return { content: '', next: offset };
  const buffer = readFileSync(path);
  // Stop at the last complete line, so a continuation never splits a line (or a UTF-8 character).
  const end = buffer.lastIndexOf(0x0a) + 1;
  if (end <= offset) return { content: '', next: offset };
  return { content: buffer.subarray(offset, end).toString('utf8'), next: end };
}
