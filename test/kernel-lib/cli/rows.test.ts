// `tsfx rows`: a page of an Examples split as JSON (what the Jupyter server answers the examples
// view with), sorted and filtered; a bad request is one line naming the option or field.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { sqlString, withDuckDB } from '../../../kernel-lib/src/duckdb/withDuckDB';
import { runCli, tempDir } from '../../helpers';

const dir = tempDir();

before(async () => {
  mkdirSync(join(dir, 'Split-eval'));
  // Six rows: (id, city); two cities contain "ar", one city is missing.
  await withDuckDB(async (db) => {
    await db.run(
      `COPY (SELECT * FROM (VALUES (1, 'Paris'), (2, 'Oslo'), (3, NULL), (4, 'Arles'), (5, 'Lima'), (6, 'Bern'))
        t(id, city)) TO ${sqlString(join(dir, 'Split-eval', 'part-0.parquet'))} (FORMAT parquet)`,
    );
  });
});

const json = (args: string[]) => {
  const out = runCli(['rows', dir, ...args]);
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout) as {
    split: string;
    offset: number;
    total: number;
    rows: unknown[][];
  };
};

describe('tsfx rows', () => {
  it('prints a page in file order, then sorted, then filtered', () => {
    assert.deepEqual(json(['--split', 'eval', '--offset', '2', '--limit', '2']), {
      split: 'eval',
      offset: 2,
      total: 6,
      rows: [
        [3, null],
        [4, 'Arles'],
      ],
    });
    assert.deepEqual(json(['--split', 'eval', '--sort', 'city', '--descending']).rows, [
      [1, 'Paris'],
      [2, 'Oslo'],
      [5, 'Lima'],
      [6, 'Bern'],
      [4, 'Arles'],
      [3, null],
    ]);
    const filtered = json(['--split', 'eval', '--filter', 'city', '--contains', 'AR']);
    assert.equal(filtered.total, 2);
    assert.deepEqual(filtered.rows, [
      [1, 'Paris'],
      [4, 'Arles'],
    ]);
    // LIKE's wildcards are matched as themselves.
    assert.equal(json(['--split', 'eval', '--filter', 'city', '--contains', '%']).total, 0);
  });

  it('says what is wrong with a request in one line', () => {
    const cases: [string[], string | RegExp][] = [
      [['--split', 'eval', '--sort', 'town'], 'error: sort.column: no column "town" in split eval'],
      [
        ['--split', 'eval', '--limit', '0'],
        'error: tsfx rows: request.limit should be a whole number from 1 to 1000, got number',
      ],
      [['--split', 'eval', '--filter', 'city'], 'error: --filter and --contains go together'],
      [['--limit', '3'], /^error: --split is required/],
    ];
    for (const [args, line] of cases) {
      const out = runCli(['rows', dir, ...args]);
      assert.notEqual(out.status, 0, args.join(' '));
      if (typeof line === 'string') assert.equal(out.lastLine, line);
      else assert.match(out.lastLine, line);
    }
  });
});
