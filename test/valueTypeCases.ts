import { spawnSync } from 'node:child_process';
import type { ValueType } from '@tsfx/protocol';

/**
 * The value-type rule's table: values and the type TFX gives a column holding them (the literals
 * are hand-written; `pythonVerdicts` has Python confirm each one). Every path that types CSV
 * columns is tested against it: the rule itself, CsvExampleGen and `tsfx stats`.
 */
export interface ValueTypeCase {
  /** The column's values, in rows; '' is a missing value. */
  values: string[];
  type: ValueType;
  note?: string;
}

export const VALUE_TYPE_CASES: ValueTypeCase[] = [
  { values: ['0'], type: 'INT' },
  { values: ['-12'], type: 'INT' },
  { values: ['+7'], type: 'INT' },
  { values: ['007'], type: 'INT' },
  { values: ['-0'], type: 'INT' },
  { values: [' 42 '], type: 'INT', note: 'surrounding whitespace' },
  { values: ['\t8\u000b'], type: 'INT', note: 'tab and vertical tab are whitespace too' },
  { values: ['\n9\n'], type: 'INT', note: 'newlines too (a quoted field)' },
  { values: ['1_000'], type: 'INT', note: 'underscores between digits' },
  { values: ['9223372036854775807'], type: 'INT' },
  { values: ['-9223372036854775808'], type: 'INT' },
  { values: ['9007199254740993'], type: 'INT', note: 'past 2^53, still int64' },
  { values: ['9223372036854775808'], type: 'STRING', note: 'an integer outside int64' },
  { values: ['-9223372036854775809'], type: 'STRING' },
  { values: ['99999999999999999999'], type: 'STRING' },
  { values: ['1.5'], type: 'FLOAT' },
  { values: ['.5'], type: 'FLOAT' },
  { values: ['5.'], type: 'FLOAT' },
  { values: ['5.0'], type: 'FLOAT' },
  { values: ['1e3'], type: 'FLOAT' },
  { values: ['-2.5E-3'], type: 'FLOAT' },
  { values: [' 1.5 '], type: 'FLOAT' },
  { values: ['1_000.5'], type: 'FLOAT' },
  { values: ['1e1_0'], type: 'FLOAT' },
  { values: ['1e500'], type: 'FLOAT', note: 'overflows to infinity' },
  { values: ['inf'], type: 'FLOAT' },
  { values: ['-Infinity'], type: 'FLOAT' },
  { values: ['nan'], type: 'FLOAT' },
  { values: ['+NaN'], type: 'FLOAT' },
  { values: ['abc'], type: 'STRING' },
  { values: [' '], type: 'STRING', note: 'whitespace alone' },
  { values: ['1__0'], type: 'STRING' },
  { values: ['_1'], type: 'STRING' },
  { values: ['1_'], type: 'STRING' },
  { values: ['1,5'], type: 'STRING' },
  { values: ['0x10'], type: 'STRING' },
  { values: ['.'], type: 'STRING' },
  { values: ['e5'], type: 'STRING' },
  { values: ['1e'], type: 'STRING' },
  { values: ['1 2'], type: 'STRING' },
  { values: ['--1'], type: 'STRING' },
  { values: ['+-1'], type: 'STRING', note: "DuckDB's casts accept it" },
  { values: ['nan(1)'], type: 'STRING', note: "DuckDB's casts accept it" },
  { values: ['infinit'], type: 'STRING' },
  { values: ['\u00a01'], type: 'STRING', note: 'no-break space: not whitespace to bytes' },
  { values: ['\u0661'], type: 'STRING', note: 'an Arabic-Indic digit: not a digit to bytes' },
  { values: ['', ''], type: 'STRING', note: 'no value at all' },
  { values: ['', '3'], type: 'INT', note: 'a missing value says nothing' },
  { values: ['1', '2.5'], type: 'FLOAT', note: 'the widest type' },
  { values: ['1', '1e3'], type: 'FLOAT' },
  { values: ['nan', '2'], type: 'FLOAT' },
  { values: ['1', 'x'], type: 'STRING' },
  { values: ['1.5', 'x'], type: 'STRING' },
  { values: ['1', '9223372036854775808'], type: 'STRING' },
];

export interface PythonVerdict {
  type: ValueType;
  /** Per value, Python's int() or float() of it as text (repr), or null (missing or not a number). */
  values: (string | null)[];
}

/** Each case as TFX's `_InferValueType` (tfx_bsl's CSV decoder) types it, run by Python. */
export function pythonVerdicts(cases: readonly ValueTypeCase[]): PythonVerdict[] {
  const script = `
import json, sys
I64_MIN, I64_MAX = -2**63, 2**63 - 1
RANK = {'INT': 1, 'FLOAT': 2, 'STRING': 3}
def infer(value):  # tfx_bsl's _InferValueType, on bytes as TFX reads CSV cells
    if not value: return None
    try:
        return 'INT' if I64_MIN <= int(value) <= I64_MAX else 'STRING'
    except ValueError:
        try: float(value)
        except ValueError: return 'STRING'
        return 'FLOAT'
out = []
for case in json.load(sys.stdin):
    cells = [v.encode() for v in case['values']]
    types = [t for t in map(infer, cells) if t]
    kind = max(types, key=RANK.get) if types else 'STRING'
    conv = int if kind == 'INT' else float if kind == 'FLOAT' else None
    out.append({'type': kind, 'values': [repr(conv(c)) if conv and c else None for c in cells]})
print(json.dumps(out))`;
  const result = spawnSync('/usr/bin/python3', ['-c', script], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as PythonVerdict[];
}

/** A CSV with one column per case (`c0`, `c1`, …), its values down the rows, quoted as needed. */
export function valueTypeCsv(cases: readonly ValueTypeCase[]): string {
  const rows = Math.max(...cases.map((c) => c.values.length));
  const field = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [cases.map((_, i) => `c${i}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(cases.map((c) => field(c.values[r] ?? '')).join(','));
  return lines.join('\n') + '\n';
}
