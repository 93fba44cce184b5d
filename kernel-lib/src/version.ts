import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The tsfx package version (from kernel-lib/package.json; the same path from src/ and dist/). */
export const TSFX_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

let fingerprint: string | null = null;

/**
 * A hash of tsfx's own code as loaded (every module next to this one), so that cached outputs
 * of a built-in component are not reused once the code that made them has changed, even
 * within one version number (as during development).
 */
export function codeFingerprint(): string {
  if (fingerprint === null) {
    const hash = createHash('sha256');
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
          hash.update(entry.name).update(readFileSync(path));
        }
      }
    };
    walk(__dirname);
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}
