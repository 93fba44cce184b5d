import { MIME_TYPES, type PayloadKind } from '@tsfx/protocol';

/** A Jupyter display bundle: several representations of one thing, keyed by MIME type. */
export interface MimeBundle {
  [mime: string]: unknown;
}

type WriteDisplayData = (
  message: {
    data: MimeBundle;
    metadata: Record<string, unknown>;
    transient?: { display_id?: string };
  },
  update?: boolean,
) => void;

/**
 * tslab's public `display` sends one MIME type per message; a bundle needs the custom type and its
 * HTML fallback in ONE `display_data` message so the front end picks the richest it can render.
 * tslab's own `display.raw` goes through `lastWriteDisplayData` of its jupyter module, which takes a
 * whole message: we call that same function (the module instance the running kernel loaded).
 */
function tslabWriter(): WriteDisplayData | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require('tslab/dist/jupyter') as {
      lastWriteDisplayData?: WriteDisplayData | null;
    };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

export function inNotebook(): boolean {
  return tslabWriter() !== null;
}

export interface DisplayHandle {
  /** Replaces what this display shows (Jupyter's `update_display_data`). */
  update(bundle: MimeBundle): void;
}

/** Sends a bundle to the notebook; outside a kernel it prints the `text/plain` entry. */
export function displayBundle(bundle: MimeBundle, displayId?: string): DisplayHandle {
  const write = tslabWriter();
  const send = (data: MimeBundle, update: boolean): void => {
    if (write) {
      write({ data, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
    } else if (typeof data['text/plain'] === 'string') {
      console.log(data['text/plain']);
    }
  };
  send(bundle, false);
  return { update: (next) => send(next, true) };
}

/** The bundle of one artifact view: JSON for the extension, HTML and text for everything else. */
export function artifactBundle(
  kind: PayloadKind,
  payload: unknown,
  html: string,
  text: string,
): MimeBundle {
  return { [MIME_TYPES[kind]]: payload, 'text/html': html, 'text/plain': text };
}
