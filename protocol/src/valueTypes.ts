import * as v from 'valibot';

/**
 * The value types of tsfx's data: a column as CsvExampleGen writes it, a feature's statistics
 * type, a transform graph's raw and output features. TFX's CSV decoder's three types.
 */
export const VALUE_TYPES = ['INT', 'FLOAT', 'STRING'] as const;
export const ValueTypeSchema = v.picklist(VALUE_TYPES);
export type ValueType = v.InferOutput<typeof ValueTypeSchema>;

/**
 * The one value-type rule, TFX's (tfx_bsl's CSV decoder, `_InferValueType`), applied to each
 * value's UTF-8 bytes as TFX applies it:
 *
 * - an empty value says nothing;
 * - INT if Python's `int()` accepts the value and it lies within int64; an integer literal
 *   outside int64 is STRING ("We infer STRING type when we have long integer values");
 * - else FLOAT if Python's `float()` accepts it;
 * - else STRING.
 *
 * A column takes the widest type of its values (INT < FLOAT < STRING); a column with no values
 * at all is STRING. On bytes, `int()` and `float()` accept ASCII digits only, surrounding ASCII
 * whitespace (space, \t, \n, \v, \f, \r), single underscores between digits, and (float)
 * `inf`, `infinity` and `nan` in any case; the patterns below say exactly that, in a syntax that
 * both JavaScript and DuckDB (RE2) read.
 */
const WHITESPACE = '[ \\t\\n\\v\\f\\r]';
const DIGITS = '[0-9](?:_?[0-9])*';
/** A value Python's `int()` accepts. */
export const INT_SYNTAX = `${WHITESPACE}*[+-]?${DIGITS}${WHITESPACE}*`;
/** A value Python's `float()` accepts. */
export const FLOAT_SYNTAX = `${WHITESPACE}*[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])${WHITESPACE}*`;
/** The characters of a number that are not part of its value: whitespace and underscores. */
export const NUMBER_NOISE = '[ \\t\\n\\v\\f\\r_]';

const INT_PATTERN = new RegExp(`^(?:${INT_SYNTAX})$`);
const FLOAT_PATTERN = new RegExp(`^(?:${FLOAT_SYNTAX})$`);
const NOISE_PATTERN = new RegExp(NUMBER_NOISE, 'g');
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** UNKNOWN (no value seen yet) < INT < FLOAT < STRING. */
export enum TypeRank {
  Unknown = 0,
  Int = 1,
  Float = 2,
  String = 3,
}

export function inferValueRank(value: string): TypeRank {
  if (value === '') return TypeRank.Unknown;
  const fast = plainNumberRank(value);
  return fast === null ? pythonNumberRank(value) : fast;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The common case without regular expressions: `[+-]digits` (up to 18 digits, so within int64)
 * or `[+-]digits.digits[e[+-]digits]`. Returns null for anything else (whitespace, underscores,
 * inf/nan, long integers, non-numbers), which `pythonNumberRank` then decides.
 */
function plainNumberRank(value: string): TypeRank | null {
  const n = value.length;
  let i = 0;
  let c = value.charCodeAt(0);
  if (c === 43 || c === 45) i++;
  const intStart = i;
  while (i < n && isDigit(value.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  if (i === n) return intDigits > 0 && intDigits <= 18 ? TypeRank.Int : null;
  c = value.charCodeAt(i);
  let fracDigits = 0;
  if (c === 46) {
    const fracStart = ++i;
    while (i < n && isDigit(value.charCodeAt(i))) i++;
    fracDigits = i - fracStart;
    if (i === n) return intDigits + fracDigits > 0 ? TypeRank.Float : null;
    c = value.charCodeAt(i);
  }
  if ((c === 101 || c === 69) && intDigits + fracDigits > 0) {
    i++;
    c = value.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    const expStart = i;
    while (i < n && isDigit(value.charCodeAt(i))) i++;
    if (i === n && i > expStart) return TypeRank.Float;
  }
  return null;
}

function pythonNumberRank(value: string): TypeRank {
  if (INT_PATTERN.test(value)) {
    const digits = normalizeNumber(value);
    // Fast path: up to 18 digits always fits in int64.
    if (digits.replace(/^[+-]/, '').length <= 18) return TypeRank.Int;
    const big = BigInt(digits);
    return big >= INT64_MIN && big <= INT64_MAX ? TypeRank.Int : TypeRank.String;
  }
  return FLOAT_PATTERN.test(value) ? TypeRank.Float : TypeRank.String;
}

/** The text of a numeric value without the whitespace and underscores Python tolerates. */
export function normalizeNumber(value: string): string {
  return value.replace(NOISE_PATTERN, '');
}

/** Folds every record's values into per-column ranks; call `types()` when done. */
export class ValueTypeInference {
  private readonly ranks: TypeRank[];
  /**
   * Per column: some numeric value is written in a form only Python accepts (whitespace,
   * underscores), so readers must `normalizeNumber` it before parsing.
   */
  readonly needsNormalizing: boolean[];

  constructor(numColumns: number) {
    this.ranks = new Array<TypeRank>(numColumns).fill(TypeRank.Unknown);
    this.needsNormalizing = new Array<boolean>(numColumns).fill(false);
  }

  observe(fields: readonly string[]): void {
    const ranks = this.ranks;
    for (let i = 0; i < ranks.length; i++) {
      if (ranks[i] === TypeRank.String) continue;
      const value = fields[i];
      if (value === '') continue;
      let rank = plainNumberRank(value);
      if (rank === null) {
        rank = pythonNumberRank(value);
        if (rank !== TypeRank.String && normalizeNumber(value) !== value)
          this.needsNormalizing[i] = true;
      }
      if (rank > ranks[i]) ranks[i] = rank;
    }
  }

  types(): ValueType[] {
    return this.ranks.map((rank) =>
      rank === TypeRank.Int ? 'INT' : rank === TypeRank.Float ? 'FLOAT' : 'STRING',
    );
  }
}
