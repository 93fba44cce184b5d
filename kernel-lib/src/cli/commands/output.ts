import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jsonFileText } from '../../artifacts/protoJsonFiles';

/**
 * Writes text to `--out FILE` (through a temporary file renamed into place, so a failed or
 * interrupted run never leaves a half-written file) or to stdout.
 */
export function writeTextOutput(text: string, out: string | undefined): void {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  const temporary = `${out}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, out);
}

/** Writes JSON to `--out FILE` or to stdout, as `writeTextOutput` does. */
export function writeJsonOutput(value: unknown, out: string | undefined): void {
  writeTextOutput(jsonFileText(value), out);
}
