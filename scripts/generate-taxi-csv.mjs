#!/usr/bin/env node
// Writes a taxi-like CSV for benchmarks: the 18 columns of the Chicago Taxi sample, with its types,
// missing-value rates and rough distributions, from a seeded generator (same seed, same bytes).
//   node scripts/generate-taxi-csv.mjs --rows 5000000 --out build/bench/taxi-5m.csv [--seed 1]
// DuckDB writes the rows, on every core: 6.5 CPU seconds per million rows (the JavaScript loop it
// replaces took 6.2, on one core). Each random draw is a hash of (seed, row, draw number), so the
// bytes do not depend on how DuckDB splits the work between threads.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const rows = Number(values.rows);
const seed = Number(values.seed);
if (!values.out || !Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(seed)) {
  console.error('usage: node scripts/generate-taxi-csv.mjs --rows N --out FILE [--seed S]');
  process.exit(2);
}

// A uniform draw in [0, 1): draw number k of the current row.
// One hashed integer per draw: DuckDB's hash of several values combines them too weakly.
const u = (k) => `(hash(${seed} * 1099511627776 + i * 32 + ${k}) >> 11)::DOUBLE / 9007199254740992`;
const int = (k, lo, hi) => `(${lo} + floor(${u(k)} * ${hi - lo + 1}))::BIGINT`;
const missing = (k, p, value) => `CASE WHEN ${u(k)} < ${p} THEN NULL ELSE ${value} END`;

const PAYMENT = [
  ['Cash', 50],
  ['Credit Card', 45],
  ['No Charge', 2],
  ['Unknown', 1.5],
  ['Dispute', 0.5],
  ['Pcard', 0.5],
  ['Prcard', 0.5],
];
const COMPANIES = Array.from({ length: 61 }, (_, i) =>
  i % 7 === 3
    ? `${1000 + i} - ${i * 37} Cab Co, Inc.`
    : `Company ${String.fromCharCode(65 + (i % 26))}${i}`,
);
const TRACTS = Array.from({ length: 400 }, (_, i) => 17031010100 + i * 173);
const list = (items) =>
  `[${items.map((s) => (typeof s === 'number' ? s : `'${s.replace(/'/g, "''")}'`)).join(', ')}]`;

// The weighted pick of a payment type for a draw `r`.
function paymentCase(r) {
  const total = PAYMENT.reduce((a, [, w]) => a + w, 0);
  let cumulative = 0;
  const whens = PAYMENT.slice(0, -1).map(([name, w]) => {
    cumulative += w;
    return `WHEN ${r} < ${cumulative / total} THEN '${name}'`;
  });
  return `CASE ${whens.join(' ')} ELSE '${PAYMENT.at(-1)[0]}' END`;
}

// Stage by stage, each one's columns from the previous (as the JavaScript generator's row() did).
const draws = `SELECT i,
    CASE WHEN ${u(0)} < 0.2 THEN 0 ELSE round(-ln(1 - ${u(1)}) * 3 * 100) / 100 END AS miles,
    ${int(2, 60, 900)} AS base_seconds,
    ${u(3)} AS payment_draw
  FROM range(${rows}) t(i)`;
const trips = `SELECT *, round(miles * 180 + base_seconds)::BIGINT AS seconds,
    ${paymentCase('payment_draw')} AS payment FROM (${draws})`;
const fares = `SELECT *, round((3.25 + miles * 2.25 + (seconds / 36) * 0.25) * 4) / 4 AS fare
  FROM (${trips})`;
const hasDropoff = `${u(10)} > 0.032`;
const lat = (k) => `(41.65 + ${u(k)} * 0.37)::DECIMAL(12, 9)`;
const lon = (k) => `(-87.9 + ${u(k)} * 0.38)::DECIMAL(12, 9)`;
const select = `SELECT
    ${int(4, 1, 77)} AS pickup_community_area,
    fare::DECIMAL(10, 2) AS fare,
    ${int(5, 1, 12)} AS trip_start_month,
    ${int(6, 0, 23)} AS trip_start_hour,
    ${int(7, 1, 7)} AS trip_start_day,
    1356998400 + ${int(8, 0, 3 * 365 * 86400)} AS trip_start_timestamp,
    ${lat(11)} AS pickup_latitude,
    ${lon(12)} AS pickup_longitude,
    CASE WHEN ${hasDropoff} THEN ${lat(13)} END AS dropoff_latitude,
    CASE WHEN ${hasDropoff} THEN ${lon(14)} END AS dropoff_longitude,
    miles::VARCHAR AS trip_miles,
    NULL::VARCHAR AS pickup_census_tract,
    ${missing(15, 0.28, `${list(TRACTS)}[1 + floor(${u(16)} * ${TRACTS.length})::BIGINT]`)} AS dropoff_census_tract,
    payment AS payment_type,
    ${missing(17, 0.34, `${list(COMPANIES)}[1 + floor(${u(18)} * ${COMPANIES.length})::BIGINT]`)} AS company,
    ${missing(19, 0.0004, 'seconds')} AS trip_seconds,
    ${missing(20, 0.034, int(21, 1, 77))} AS dropoff_community_area,
    (CASE WHEN payment = 'Credit Card' AND ${u(22)} < 0.7
      THEN round(fare * (0.1 + ${u(23)} * 0.2) * 100) / 100 ELSE 0 END)::DECIMAL(10, 2) AS tips
  FROM (${fares})`;

mkdirSync(dirname(values.out), { recursive: true });
// Written next to its place and renamed: an interrupted run leaves no half-written CSV behind.
const partial = `${values.out}.partial`;
const started = Date.now();
const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
const connection = await instance.connect();
try {
  const quoted = `'${partial.replace(/'/g, "''")}'`;
  await connection.run(`COPY (${select}) TO ${quoted} (FORMAT csv, HEADER true)`);
  renameSync(partial, values.out);
} catch (error) {
  rmSync(partial, { force: true });
  throw error;
} finally {
  connection.closeSync();
  instance.closeSync();
}
console.log(
  `wrote ${rows} rows to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
);
