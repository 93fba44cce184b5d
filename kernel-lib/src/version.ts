import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The tsfx package version (from kernel-lib/package.json; the same path from src/ and dist/). */
export const TSFX_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
