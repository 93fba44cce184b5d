import { errorMessage } from '../errors';
import type { ProgressReporter } from '../orchestration/progress';
import type { ExecutionResult } from '../orchestration/runComponent';
import type { ProgressUpdate } from '../pipeline/Component';
import type { TrainingEvent } from '../trainer/events';
import { escapeHtml } from './html';
import { progressText, resultText } from './progress';
import { displayBundle, type DisplayHandle, type MimeBundle } from './sendDisplay';
import { trainingBundle, trainingPayload } from './trainingView';

/** Redraws of a display, at most this often (Jupyter messages are not free). */
const REDRAW_MS = 300;

type LineState = 'running' | 'done' | 'cached' | 'failed';

/**
 * A component run in a notebook: one progress line (a display updated in place through tslab's
 * `update_display_data`) and, once the Trainer streams training events, a live training view (a
 * progress bar and curves) below it, also updated in place. Call only inside a kernel.
 */
export function notebookReporter(componentId: string): ProgressReporter {
  const started = Date.now();
  const lineBundle = (state: LineState, message: string): MimeBundle => {
    const colour = state === 'failed' ? '#c62828' : state === 'running' ? '#1565c0' : '#2e7d32';
    const text = `${componentId} [${state}] ${message}`;
    return {
      'text/plain': text,
      'text/html': `<div class="tsfx-progress" style="font-family:monospace;color:${colour}">${escapeHtml(text)}</div>`,
    };
  };
  const line = displayBundle(
    lineBundle('running', 'starting'),
    `tsfx-progress-${componentId}-${started}`,
  );
  let lineDrawnAt = 0;
  let training: LiveTrainingView | null = null;

  return {
    log(message) {
      line.update(lineBundle('running', message));
      lineDrawnAt = Date.now();
    },
    progress(update: ProgressUpdate) {
      if (update.training) {
        training ??= new LiveTrainingView(componentId, started);
        training.add(update.training);
        return;
      }
      const final = update.total !== null && update.step >= update.total;
      if (!final && Date.now() - lineDrawnAt < REDRAW_MS) return;
      line.update(lineBundle('running', progressText(update)));
      lineDrawnAt = Date.now();
    },
    end(outcome: { result: ExecutionResult } | { error: unknown }) {
      training?.finish();
      if ('result' in outcome) {
        const { result } = outcome;
        line.update(lineBundle(result.state === 'CACHED' ? 'cached' : 'done', resultText(result)));
      } else {
        line.update(lineBundle('failed', errorMessage(outcome.error)));
      }
    },
  };
}

/** The training view of a run in progress: redrawn at most every 300 ms, and at each epoch. */
class LiveTrainingView {
  private readonly events: TrainingEvent[] = [];
  private readonly handle: DisplayHandle;
  private drawnAt = 0;

  constructor(componentId: string, started: number) {
    this.handle = displayBundle(
      trainingBundle(trainingPayload([], null, 'running')),
      `tsfx-training-${componentId}-${started}`,
    );
  }

  add(event: TrainingEvent): void {
    this.events.push(event);
    const now = Date.now();
    if (event.type === 'batch' && now - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = now;
    this.handle.update(
      trainingBundle(trainingPayload(this.events, null, event.type === 'end' ? 'done' : 'running')),
    );
  }

  /** Draws the final state: done when the log has its end event, else failed. */
  finish(): void {
    const ended = this.events.some((e) => e.type === 'end');
    this.handle.update(
      trainingBundle(trainingPayload(this.events, null, ended ? 'done' : 'failed')),
    );
  }
}
