import { spawnSync } from 'node:child_process';

/**
 * Reference statistics computed INDEPENDENTLY of tsfx: Python's csv module reads the raw cells,
 * types each column by TFX's CSV decoder rule (int() for every non-empty value, else float(),
 * else string), and pandas/numpy compute the numbers. Nothing here calls the code under test.
 */
export interface ReferenceColumn {
  type: 'INT' | 'FLOAT' | 'STRING';
  present: number;
  missing: number;
  /** Numeric columns. */
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  zeros?: number;
  /** Sorted finite values, for rank checks. */
  sorted?: number[];
  /** String columns. */
  unique?: number;
  top?: [string, number][];
  avgLength?: number;
}

export interface Reference {
  rows: number;
  columns: Record<string, ReferenceColumn>;
}

const SCRIPT = String.raw`
import csv, json, sys, math
import numpy as np
import pandas as pd
from collections import Counter
path = sys.argv[1]
with open(path, newline='', encoding='utf-8') as f:
    reader = csv.reader(f)
    header = next(reader)
    cols = {h: [] for h in header}
    rows = 0
    for rec in reader:
        if not rec:
            continue
        rows += 1
        for h, v in zip(header, rec):
            cols[h].append(v)
def kind(values):
    vals = [v for v in values if v != '']
    if not vals:
        return 'STRING'
    try:
        for v in vals:
            int(v)
        return 'INT'
    except ValueError:
        pass
    try:
        for v in vals:
            float(v)
        return 'FLOAT'
    except ValueError:
        return 'STRING'
out = {'rows': rows, 'columns': {}}
for h, values in cols.items():
    t = kind(values)
    vals = [v for v in values if v != '']
    c = {'type': t, 'present': len(vals), 'missing': rows - len(vals)}
    if t != 'STRING':
        s = pd.Series([float(v) for v in vals], dtype='float64')
        c.update(mean=float(s.mean()), std=float(s.std(ddof=0)), min=float(s.min()), max=float(s.max()),
                 zeros=int((s == 0).sum()), sorted=sorted(s.tolist()))
    else:
        counts = Counter(vals)
        top = sorted(counts.items(), key=lambda kv: (kv[1], kv[0].encode('utf-8')), reverse=True)[:20]
        c.update(unique=len(counts), top=top,
                 avgLength=(sum(len(v.encode('utf-8')) for v in vals) / len(vals)) if vals else 0)
    out['columns'][h] = c
json.dump(out, sys.stdout)
`;

export function referenceStatistics(csvPath: string): Reference {
  const result = spawnSync('/usr/bin/python3', ['-c', SCRIPT, csvPath], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) {
    throw new Error(`reference statistics failed (is python3-pandas installed?): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Reference;
}

/** The fraction of `sorted` values strictly below / at most `value`. */
export function rankRange(sorted: readonly number[], value: number): [number, number] {
  let below = 0;
  let atMost = 0;
  for (const v of sorted) {
    if (v < value) below++;
    if (v <= value) atMost++;
  }
  return [below / sorted.length, atMost / sorted.length];
}

/** How far `value` is from being a q-quantile of `sorted`, in rank (0 when it is one). */
export function rankError(sorted: readonly number[], value: number, q: number): number {
  const [lo, hi] = rankRange(sorted, value);
  if (lo <= q && q <= hi) return 0;
  return Math.min(Math.abs(lo - q), Math.abs(hi - q));
}
