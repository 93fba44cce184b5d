import { errorMessage } from '../errors';
import type { ProgressReporter } from '../orchestration/progress';
import type { ExecutionResult } from '../orchestration/runComponent';
import type { ProgressUpdate } from '../pipeline/Component';
import { formatMetric } from '../trainer/events';

/**
 * Progress as text: plain lines (logs, CI, a scheduler's task log) and a bar redrawn in place on a
 * terminal. The notebook's display is in notebookProgress.ts.
 */

/** `step 90/200 (45%) loss 0.3012 val_auc 0.9412` (without the share when a bar shows it). */
export function progressText(update: ProgressUpdate, withShare = true): string {
  const { step, total } = update;
  const share =
    total && withShare ? ` (${Math.round((100 * Math.min(step, total)) / total)}%)` : '';
  const metrics = Object.entries(update.metrics ?? {})
    .map(([name, value]) => ` ${name} ${formatMetric(value)}`)
    .join('');
  return `step ${step}${total ? `/${total}` : ''}${share}${metrics}`;
}

/** `[#########.....................]  30% ` (empty without a total). */
export function progressBar(update: ProgressUpdate, width = 30): string {
  if (!update.total) return '';
  const share = Math.min(1, Math.max(0, update.step / update.total));
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% `;
}

/** `done in 1.2s (execution 3): examples → /root/…` or `cached (reused execution 1): …` */
export function resultText(result: ExecutionResult): string {
  const what =
    result.state === 'CACHED'
      ? `cached (reused execution ${result.cachedFrom})`
      : `done in ${(result.durationMs / 1000).toFixed(1)}s (execution ${result.executionId})`;
  const outputs = Object.entries(result.outputs)
    .map(([key, artifacts]) => `${key} → ${artifacts.map((a) => a.uri).join(', ') || 'nothing'}`)
    .join('; ');
  return `${what}: ${outputs}`;
}

/**
 * One line per log message and per tenth of the progress (or per `everyMs` when the total is
 * unknown), each prefixed by the component id; with `endLine`, a last line with the outcome.
 */
export function lineReporter(
  componentId: string,
  write: (line: string) => void,
  options: { endLine?: boolean; everyMs?: number } = {},
): ProgressReporter {
  let lastTenth = -1;
  let lastTime = 0;
  return {
    log(message) {
      write(`${componentId}: ${message}`);
    },
    progress(update) {
      if (update.total) {
        const tenth = Math.floor((10 * Math.min(update.step, update.total)) / update.total);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
      } else {
        const now = Date.now();
        if (now - lastTime < (options.everyMs ?? 10_000)) return;
        lastTime = now;
      }
      write(`${componentId}: ${progressText(update)}`);
    },
    end(outcome) {
      if (!options.endLine) return;
      write(
        `${componentId}: ${'result' in outcome ? resultText(outcome.result) : `failed: ${errorMessage(outcome.error)}`}`,
      );
    },
  };
}

/** What a terminal bar writes to: a TTY stream (its width, when known, keeps the bar on one line). */
export interface TerminalStream {
  write(text: string): unknown;
  columns?: number;
}

/**
 * A bar redrawn in place on a terminal (at most every 100 ms), and log lines through `logLine`
 * (if given) printed above it.
 */
export function terminalReporter(
  componentId: string,
  stream: TerminalStream,
  logLine?: (line: string) => void,
): ProgressReporter {
  let last: ProgressUpdate | null = null;
  let drawnAt = 0;
  const draw = (): void => {
    if (!last) return;
    const line = `${componentId} ${progressBar(last)}${progressText(last, false)}`;
    const width = stream.columns ? stream.columns - 1 : line.length;
    stream.write(`\r\x1b[K${line.slice(0, width)}`);
    drawnAt = Date.now();
  };
  return {
    log(message) {
      if (!logLine) return;
      if (last) stream.write('\r\x1b[K');
      logLine(`${componentId}: ${message}`);
      draw();
    },
    progress(update) {
      last = update;
      const final = update.total !== null && update.step >= update.total;
      if (final || Date.now() - drawnAt >= 100) draw();
    },
    end() {
      if (!last) return;
      draw();
      stream.write('\n');
    },
  };
}
