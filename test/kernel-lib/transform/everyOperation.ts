import { join } from 'node:path';
import type { Inputs, Tft } from '../../../kernel-lib/src/transform/tft';
import { duckdbRows, TAXI_CSV } from '../../helpers';

/**
 * Writes the taxi sample as ExampleGen types it (`train.parquet`) and, in `odd.parquet`, the
 * sample followed by rows it lacks: unseen and non-ASCII companies (out-of-vocabulary hashes),
 * NaN, infinities, negative zero, an hour outside the identity's range, every feature missing
 * (`extraRows`: more `SELECT … AS column` rows).
 */
export async function writeTaxiWithOddRows(
  dir: string,
  extraRows: string[] = [],
): Promise<{ train: string; odd: string }> {
  const train = join(dir, 'train.parquet');
  const odd = join(dir, 'odd.parquet');
  await duckdbRows(
    `COPY (SELECT * FROM read_csv('${TAXI_CSV}', header=true)) TO '${train}' (FORMAT parquet)`,
  );
  const rows = [
    `SELECT 'Ünïcødé 😀 Cab' AS company, 'nan'::DOUBLE AS fare, 'inf'::DOUBLE AS trip_miles, -0.0::DOUBLE AS pickup_latitude`,
    `SELECT 'Never Seen Cab Co' AS company, '-inf'::DOUBLE AS fare, 'Mobile' AS payment_type, 99 AS trip_start_hour`,
    ...extraRows,
    'SELECT NULL AS company',
  ];
  await duckdbRows(
    `COPY (SELECT * FROM '${train}' ${rows.map((r) => `UNION ALL BY NAME ${r}`).join(' ')}) TO '${odd}' (FORMAT parquet)`,
  );
  return { train, odd };
}

/**
 * A preprocessing function using every transform operation with an exact SQL form (all but clip), over a FLOAT `x`, a STRING `k` and an
 * INT `c`: the engines (row by row, column at a time, DuckDB SQL) must agree on all of it.
 */
/** The raw types of the synthetic Parquet both engines' tests write: x FLOAT, k STRING, c INT. */
export const SYNTHETIC_RAW = [
  { name: 'x', type: 'FLOAT' as const },
  { name: 'k', type: 'STRING' as const },
  { name: 'c', type: 'INT' as const },
];

export const everyOperation = (inputs: Inputs, tft: Tft) => {
  const { x, k, c } = inputs;
  return {
    z: tft.scaleToZScore(x),
    zo: tft.scaleToZeroOne(x),
    flat: tft.scaleToZeroOne(tft.mul(c, 0)),
    b: tft.bucketize(x, 7),
    b3: tft.bucketize(c, 3),
    // Values on the boundaries, a repeated boundary, and values beyond both ends.
    edges: tft.applyBuckets(x, [-10, 0, 0, 25.5]),
    v: tft.computeAndApplyVocabulary(tft.fillInMissing(k, ''), { topK: 6, numOovBuckets: 3 }),
    vt: tft.computeAndApplyVocabulary(k, { frequencyThreshold: 40, vocabularyName: 'vt' }),
    vx: tft.computeAndApplyVocabulary(tft.asString(x), { topK: 20 }),
    vc: tft.computeAndApplyVocabulary(c, { numOovBuckets: 2 }),
    h: tft.hashStrings(k, 7),
    hx: tft.hashStrings(x, 11),
    cr: tft.cross([k, c], 50),
    crx: tft.cross([x, c, tft.bucketize(x, 4)], 97),
    f: tft.fillInMissing(x, -1),
    fk: tft.fillInMissing(k, 'none'),
    id: tft.categoricalIdentity(tft.fillInMissing(tft.div(x, 10), 0), 5, 2),
    log: tft.log1p(tft.abs(tft.fillInMissing(x, 0))),
    neg: tft.neg(x),
    not: tft.not(c),
    miss: tft.isMissing(x),
    missk: tft.isMissing(k),
    s: tft.asString(c),
    sx: tft.asString(x),
    num: tft.stringToNumber(k),
    numx: tft.stringToNumber(x),
    arith: tft.sub(tft.add(tft.mul(x, 3), c), tft.div(c, tft.sub(c, 2))),
    cmp: tft.add(tft.gt(x, 10), tft.le(x, c)),
    logic: tft.or(tft.and(c, x), tft.ge(c, 4)),
    eq: tft.eq(k, 't3'),
    ne: tft.ne(x, x),
    eqMixed: tft.eq(k, c),
    lt: tft.lt(x, 0),
    w: tft.where(tft.isMissing(x), c, x),
    wx: tft.where(x, c, tft.neg(c)),
    ws: tft.where(c, k, 'zero'),
    zz: tft.scaleToZScore(tft.bucketize(x, 4)),
  };
};
