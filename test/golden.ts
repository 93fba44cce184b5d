import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';

/**
 * Golden files in Observable Plot's way: what a test rendered must equal the file it names. On a
 * mismatch the rendering is written beside the golden as `<name>-changed.<ext>` (for a diff, or a
 * look in a browser) and the test fails. `UPDATE_GOLDEN=1` rewrites the goldens instead, except
 * under CI (the `CI` variable set), where a golden is never rewritten and the run fails.
 */
export function assertGoldenFile(path: string, actual: string, normalise = (s: string) => s): void {
  const changed = changedPath(path);
  if (process.env.UPDATE_GOLDEN === '1') {
    assert.ok(
      !process.env.CI,
      `UPDATE_GOLDEN=1 under CI: goldens are rewritten on a developer's machine, never by CI (${path})`,
    );
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    rmSync(changed, { force: true });
    return;
  }
  const expected = existsSync(path) ? normalise(readFileSync(path, 'utf8')) : null;
  if (expected === actual) {
    rmSync(changed, { force: true });
    return;
  }
  writeFileSync(changed, actual);
  assert.ok(expected !== null, `golden file ${path} is missing; ${changed} holds the rendering`);
  assert.equal(
    actual,
    expected,
    `${path} differs: ${changed} holds the rendering (if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff)`,
  );
}

/** `dir/name.ext` → `dir/name-changed.ext`. */
export function changedPath(path: string): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-changed${ext}`;
}
