import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileTransform, type RawRow } from '../../../kernel-lib/src/transform/graph';
import { fnv1a32 } from '../../../kernel-lib/src/transform/hash';
import { loadTransformGraph, saveTransformGraph } from '../../../kernel-lib/src/transform/io';
import { readAllParquetRows } from '../../../kernel-lib/src/transform/rows';
import { buildTransformGraph, transformParquet } from '../../../kernel-lib/src/transform/run';
import type { Inputs, Tft } from '../../../kernel-lib/src/transform/tft';
import { duckdbRows, tempDir, writeFile } from '../../helpers';

/** 500 rows with nulls, ties in the vocabulary and repeated numbers (for quantiles). */
function sampleCsv(): string {
  const lines = ['x,k,c'];
  for (let i = 0; i < 500; i++) {
    const x = i % 17 === 0 ? '' : String(((i * 7919) % 1000) / 10 - 20);
    const k = i % 11 === 0 ? '' : `t${(i * i) % 13}`;
    const c = String(i % 5);
    lines.push(`${x},${k},${c}`);
  }
  return `${lines.join('\n')}\n`;
}

const python = (code: string): unknown => {
  const result = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as unknown;
};

/** Strings whose hashes the tests need, hashed by Python (including multi-byte UTF-8). */
const HASHED = ['never-seen', 'never-seen_X_3', '', 'é', '日本', 'a😀b'];

const preprocessingFn = (inputs: Inputs, tft: Tft) => ({
  z: tft.scaleToZScore(inputs.x),
  zo: tft.scaleToZeroOne(inputs.x),
  b: tft.bucketize(inputs.x, 4),
  v: tft.computeAndApplyVocabulary(tft.fillInMissing(inputs.k, ''), {
    topK: 6,
    numOovBuckets: 3,
  }),
  vt: tft.computeAndApplyVocabulary(inputs.k, { frequencyThreshold: 40, vocabularyName: 'vt' }),
  h: tft.hashStrings(inputs.k, 7),
  cr: tft.cross([inputs.k, inputs.c], 50),
  f: tft.fillInMissing(inputs.x, -1),
  zz: tft.scaleToZScore(tft.bucketize(inputs.x, 4)),
});

describe('Transform analyzers against pandas', async () => {
  const dir = tempDir();
  const csv = writeFile(dir, 'data.csv', sampleCsv());
  const parquet = join(dir, 'data.parquet');
  await duckdbRows(
    `COPY (SELECT * FROM read_csv('${csv}', header=true, columns={'x':'DOUBLE','k':'VARCHAR','c':'BIGINT'})) TO '${parquet}' (FORMAT parquet)`,
  );
  const raw = [
    { name: 'x', type: 'FLOAT' as const },
    { name: 'k', type: 'STRING' as const },
    { name: 'c', type: 'INT' as const },
  ];
  const loaded = await buildTransformGraph(preprocessingFn, raw, [parquet]);
  const node = (name: string) =>
    loaded.graph.nodes[loaded.graph.outputs.find((o) => o.name === name)!.node];
  const reference = python(`
import json, pandas as pd
d = pd.read_csv(${JSON.stringify(csv)}, keep_default_na=False, na_values=[''])
x = d.x.dropna().sort_values().tolist()
n = len(x)
q = [x[-(-i * n // 4) - 1] for i in range(1, 4)]
counts = d.k.dropna().value_counts()
items = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
# bucketize: the number of boundaries at or below a value (a value on a boundary goes above it).
b = d.x.dropna().map(lambda v: sum(1 for t in q if v >= t))
def fnv1a32(text):
    h = 0x811c9dc5
    for byte in text.encode('utf-8'):
        h = ((h ^ byte) * 0x01000193) & 0xffffffff
    return h
print(json.dumps({"mean": d.x.mean(), "std": d.x.std(ddof=0), "min": d.x.min(), "max": d.x.max(),
  "q": q, "vocab": [k for k, _ in items], "vocabFilled": [k for k, _ in sorted(d.k.fillna('').value_counts().items(), key=lambda kv: (kv[1], kv[0]), reverse=True)][:6],
  "vt": [k for k, c in items if c >= 40], "bucketMean": b.mean(), "bucketStd": b.std(ddof=0),
  "hash": {t: fnv1a32(t) for t in ${JSON.stringify(HASHED)}}}))`) as {
    mean: number;
    std: number;
    min: number;
    max: number;
    q: number[];
    vocabFilled: string[];
    vt: string[];
    bucketMean: number;
    bucketStd: number;
    hash: Record<string, number>;
  };

  it('scaleToZScore: mean and population std as pandas computes them', () => {
    const z = node('z');
    assert.equal(z.op, 'scaleToZScore');
    if (z.op !== 'scaleToZScore') return;
    assert.ok(Math.abs(z.mean - reference.mean) < 1e-9 * Math.abs(reference.mean));
    assert.ok(Math.abs(z.std - reference.std) < 1e-9 * reference.std);
  });

  it('scaleToZeroOne: min and max', () => {
    const zo = node('zo');
    assert.ok(zo.op === 'scaleToZeroOne' && zo.min === reference.min && zo.max === reference.max);
  });

  it('bucketize: quantile boundaries (inverted CDF) and 4 bucket ids', () => {
    const b = node('b');
    assert.ok(b.op === 'applyBuckets');
    if (b.op === 'applyBuckets') assert.deepEqual(b.boundaries, reference.q);
    assert.equal(loaded.graph.outputs.find((o) => o.name === 'b')!.numValues, 4);
  });

  it('computeAndApplyVocabulary: most frequent first, ties by greater token, topK, threshold', () => {
    const v = node('v');
    assert.ok(v.op === 'vocabulary');
    if (v.op !== 'vocabulary') return;
    assert.deepEqual(loaded.vocabularies[v.vocabularyFile], reference.vocabFilled);
    assert.equal(loaded.graph.outputs.find((o) => o.name === 'v')!.numValues, 9);
    const vt = node('vt');
    assert.ok(vt.op === 'vocabulary');
    assert.ok(reference.vt.length > 0, 'the threshold keeps some tokens');
    assert.deepEqual(loaded.vocabularies[vt.vocabularyFile], reference.vt);
  });

  it('applies per row: missing values, OOV buckets, hashes and crosses', () => {
    const fn = compileTransform(loaded);
    // The vocabulary and the hashes as pandas and Python compute them.
    const known = reference.vocabFilled;
    const hash = reference.hash;
    const row = fn.apply({ x: null, k: 'never-seen', c: 3 });
    assert.equal(row.z, null, 'a missing number stays missing through scaleToZScore');
    assert.equal(row.b, null);
    assert.equal(row.f, -1);
    assert.equal(row.v, 6 + (hash['never-seen'] % 3), 'an OOV token goes to its hash bucket');
    assert.equal(row.vt, -1, 'no OOV buckets: the default value');
    assert.equal(row.h, hash['never-seen'] % 7);
    assert.equal(row.cr, hash['never-seen_X_3'] % 50);
    const missingK = fn.apply({ x: 5, k: null, c: 1 });
    const empty = known.indexOf('');
    assert.equal(
      missingK.v,
      empty >= 0 ? empty : 6 + (hash[''] % 3),
      'a filled missing string is the token ""',
    );
    assert.equal(missingK.cr, null);
    const { mean, std, min, max, q } = reference;
    const at = fn.apply({ x: q[1], k: known[0], c: 0 });
    const zNode = node('z') as { mean: number; std: number };
    assert.equal(at.z, (q[1] - zNode.mean) / zNode.std);
    assert.ok(Math.abs((at.z as number) - (q[1] - mean) / std) < 1e-9);
    assert.equal(at.zo, (q[1] - min) / (max - min));
    assert.equal(at.b, 2, 'a value equal to a boundary goes to the bucket above it');
    assert.equal(at.v, 0);
    assert.equal(fn.apply({ x: min - 1, k: 'a', c: 0 }).b, 0);
    assert.equal(fn.apply({ x: max + 1, k: 'a', c: 0 }).b, 3);
  });

  it('hashes strings with 32-bit FNV-1a over their UTF-8 bytes, as Python computes it', () => {
    for (const text of HASHED) assert.equal(fnv1a32(text), reference.hash[text], text);
  });

  it('an analyzer over another analyzer takes a second pass', () => {
    const zz = node('zz');
    assert.ok(zz.op === 'scaleToZScore' && zz.std > 0);
    // The mean and std of the bucket ids, which exist only once the boundaries are known.
    assert.ok(
      Math.abs(zz.mean - reference.bucketMean) < 1e-9,
      `${zz.mean} vs ${reference.bucketMean}`,
    );
    assert.ok(Math.abs(zz.std - reference.bucketStd) < 1e-9, `${zz.std} vs ${reference.bucketStd}`);
  });

  it('round-trips through transform_graph.json and vocabulary files, applying identically', async () => {
    const out = join(dir, 'graph');
    saveTransformGraph(out, loaded);
    const again = loadTransformGraph(out);
    assert.deepEqual(again, JSON.parse(JSON.stringify(loaded)));
    const rows = (await readAllParquetRows([parquet])) as RawRow[];
    const a = compileTransform(loaded);
    const b = compileTransform(again);
    for (const row of rows) assert.deepEqual(b.apply(row), a.apply(row));
    const written = join(dir, 'transformed.parquet');
    assert.equal(await transformParquet(again, [parquet], written), 500);
    const back = await readAllParquetRows([written]);
    back.forEach((row, i) => assert.deepEqual(row, a.apply(rows[i])));
  });
});
