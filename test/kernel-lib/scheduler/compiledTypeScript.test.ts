import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compiledTypeScript } from '../../../kernel-lib/src/scheduler/compiledTypeScript';

/** Runs compiled CommonJS as a module would, returning its exports. */
function evaluate(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports;
}

describe('compiledTypeScript', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsfx-compiled-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const cache = join(root, 'cache');
  const file = join(root, 'dag.ts');

  it('compiles TypeScript to CommonJS once and keeps it under the hash of its source', () => {
    writeFileSync(file, 'export const answer: number = 6 * 7;\nexport type Unused = string;\n');
    assert.equal(evaluate(compiledTypeScript(file, cache)).answer, 42);
    const [cached] = readdirSync(cache);
    assert.match(cached, /^[0-9a-f]{64}\.js$/);
    // A second process reads the cached file: what is there is what it gets.
    writeFileSync(join(cache, cached), 'exports.answer = "from the cache";');
    assert.equal(evaluate(compiledTypeScript(file, cache)).answer, 'from the cache');
  });

  it('compiles a changed source anew instead of reusing the older output', () => {
    writeFileSync(file, 'export const answer: number = 7;\n');
    assert.equal(evaluate(compiledTypeScript(file, cache)).answer, 7);
    assert.equal(readdirSync(cache).length, 2);
  });

  it('names the file, line and column of a syntax error', () => {
    const broken = join(root, 'broken.ts');
    writeFileSync(broken, 'export const x = ;\n');
    assert.throws(() => compiledTypeScript(broken, cache), /broken\.ts:1:17/);
  });
});
