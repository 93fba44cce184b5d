#!/usr/bin/env node
// Writes a taxi-like CSV for benchmarks: the 18 columns of the Chicago Taxi sample, with its types,
// missing-value rates and rough distributions, from a seeded generator (same seed, same bytes).
//   node scripts/generate-taxi-csv.mjs --rows 5000000 --out build/bench/taxi-5m.csv [--seed 1]
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
if (!values.rows || !values.out) {
  console.error('usage: node scripts/generate-taxi-csv.mjs --rows N --out FILE [--seed S]');
  process.exit(2);
}
const rows = Number(values.rows);

// mulberry32: a small, fast, seeded PRNG.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (list) => list[Math.floor(random() * list.length)];
const weighted = (pairs) => {
  let r = random() * pairs.reduce((a, [, w]) => a + w, 0);
  for (const [value, w] of pairs) if ((r -= w) < 0) return value;
  return pairs[pairs.length - 1][0];
};
const missing = (p, value) => (random() < p ? '' : value);

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

const header =
  'pickup_community_area,fare,trip_start_month,trip_start_hour,trip_start_day,trip_start_timestamp,pickup_latitude,pickup_longitude,dropoff_latitude,dropoff_longitude,trip_miles,pickup_census_tract,dropoff_census_tract,payment_type,company,trip_seconds,dropoff_community_area,tips';

function row() {
  const miles = random() < 0.2 ? 0 : Math.round(-Math.log(1 - random()) * 3 * 100) / 100;
  const seconds = Math.round(miles * 180 + int(60, 900));
  const fare = Math.round((3.25 + miles * 2.25 + (seconds / 36) * 0.25) * 4) / 4;
  const payment = weighted(PAYMENT);
  const tips =
    payment === 'Credit Card' && random() < 0.7
      ? Math.round(fare * (0.1 + random() * 0.2) * 100) / 100
      : 0;
  const month = int(1, 12);
  const hasDropoff = random() > 0.032;
  const lat = () => (41.65 + random() * 0.37).toFixed(9);
  const lon = () => (-87.9 + random() * 0.38).toFixed(9);
  const company = random() < 0.34 ? '' : pick(COMPANIES);
  return [
    int(1, 77),
    fare.toFixed(2),
    month,
    int(0, 23),
    int(1, 7),
    1356998400 + int(0, 3 * 365 * 86400),
    lat(),
    lon(),
    hasDropoff ? lat() : '',
    hasDropoff ? lon() : '',
    miles,
    '',
    missing(0.28, pick(TRACTS)),
    payment,
    company.includes(',') ? `"${company}"` : company,
    missing(0.0004, seconds),
    missing(0.034, int(1, 77)),
    tips.toFixed(2),
  ].join(',');
}

mkdirSync(dirname(values.out), { recursive: true });
const out = createWriteStream(values.out);
out.write(`${header}\n`);
const started = Date.now();
let written = 0;
function writeMore() {
  while (written < rows) {
    const lines = [];
    const n = Math.min(20000, rows - written);
    for (let i = 0; i < n; i++) lines.push(row());
    written += n;
    if (!out.write(`${lines.join('\n')}\n`)) {
      out.once('drain', writeMore);
      return;
    }
  }
  out.end(() =>
    console.log(
      `wrote ${rows} rows to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    ),
  );
}
writeMore();
