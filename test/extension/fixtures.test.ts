// The extension's fixtures are what the kernel sends today: the payload builders, run on the taxi
// pipeline by fixtures/generate.ts, give the committed files again (all but training.json, whose
// 400-step training run is left to `npm run fixtures`). A fixture gone stale fails here and
// leaves the fresh payload beside it as `<name>-changed.json`.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { changedPath } from '../golden';
import { extensionFixtures } from './fixtures/generate';
import { FIXTURES } from './render-helpers';

describe('the extension fixtures match the kernel payloads of a taxi pipeline run', () => {
  let fresh: Map<string, unknown>;
  before(async () => {
    fresh = await extensionFixtures({ training: false });
  });

  for (const name of [
    'examples.json',
    'statistics.json',
    'schema.json',
    'lineage.json',
    'anomalies.json',
  ]) {
    it(name, () => {
      const path = join(FIXTURES, name);
      const actual = fresh.get(name);
      const committed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      try {
        assert.deepEqual(actual, committed);
        rmSync(changedPath(path), { force: true });
      } catch (error) {
        writeFileSync(changedPath(path), `${JSON.stringify(actual, null, 2)}\n`);
        throw new Error(
          `${name} is stale: the kernel now sends ${changedPath(path)} (run \`npm run fixtures\` and review the diff)`,
          { cause: error },
        );
      }
    });
  }
});
