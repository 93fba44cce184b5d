import { inferValueRank, normalizeNumber, TypeRank } from '@tsfx/protocol';

/**
 * TFX's value typing (`inferValueRank` in @tsfx/protocol, the one rule) applied to a field's
 * UTF-8 bytes, for the CSV fast path. While a field is scanned, its bytes' classes are counted
 * into one small integer (`tally += BYTE_TALLY[byte]`); the counts settle the common values at
 * once: plain digits (INT up to 18 of them), digits with one dot and an optional leading sign
 * (FLOAT), a byte no number holds (STRING). Every other value is decoded and typed by the rule.
 */

// Bit fields of a tally: digits count in bits 0-9, the other classes in 4 bits each.
const DIGIT = 1;
const DOT = 1 << 10;
const SIGN = 1 << 14;
const EXPONENT = 1 << 18;
/** ASCII whitespace, `_`, the letters of inf/infinity/nan: only the rule decides. */
const MAYBE = 1 << 22;
/** Any other byte, non-ASCII ones included: the value is not a number. */
const NOT_NUMBER = 1 << 26;

export const BYTE_TALLY = new Int32Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  BYTE_TALLY[c] =
    c >= 0x30 && c <= 0x39
      ? DIGIT
      : ch === '.'
        ? DOT
        : ch === '+' || ch === '-'
          ? SIGN
          : ch === 'e' || ch === 'E'
            ? EXPONENT
            : c < 0x80 && (/[\t\n\v\f\r _]/.test(ch) || /[infyta]/i.test(ch))
              ? MAYBE
              : NOT_NUMBER;
}

const count = (tally: number, unit: number, bits: number): number =>
  Math.floor(tally / unit) & ((1 << bits) - 1);

/** Set in a {@link fieldRank} result when the value is a number only once whitespace and `_` go. */
export const NEEDS_NORMALIZING = 8;

/**
 * The rank of the non-empty value in `bytes[start, end)` whose bytes tallied to `tally`, plus
 * {@link NEEDS_NORMALIZING} when it is a number written with whitespace or underscores.
 */
export function fieldRank(bytes: Buffer, start: number, end: number, tally: number): number {
  const length = end - start;
  if (tally < EXPONENT) {
    // The common case, in integer arithmetic: digits, dots and signs only.
    const digits = tally & 1023;
    const dots = (tally >> 10) & 15;
    const signs = tally >> 14;
    if (
      digits > 0 &&
      digits + dots + signs === length &&
      (signs === 0 || (signs === 1 && (bytes[start] === 0x2b || bytes[start] === 0x2d)))
    ) {
      if (dots === 0 && digits <= 18) return TypeRank.Int;
      if (dots === 1) return TypeRank.Float;
    }
  }
  const digits = tally & 1023;
  const dots = count(tally, DOT, 4);
  const signs = count(tally, SIGN, 4);
  const others = count(tally, EXPONENT, 4) + count(tally, MAYBE, 4) + count(tally, NOT_NUMBER, 4);
  // A class counted past 15 carries into the next field and the counts no longer add up.
  if (length <= 1023 && digits + dots + signs + others === length) {
    if (count(tally, NOT_NUMBER, 4) > 0) return TypeRank.String;
    const leadingSign = signs === 1 && (bytes[start] === 0x2b || bytes[start] === 0x2d);
    if (others === 0 && digits > 0 && (signs === 0 || leadingSign)) {
      if (dots === 0 && digits <= 18) return TypeRank.Int;
      if (dots === 1) return TypeRank.Float;
    }
  }
  return textRank(bytes.toString('utf8', start, end));
}

/** The same for a value already decoded (a quoted field's content). */
export function textRank(value: string): number {
  const rank = inferValueRank(value);
  return rank !== TypeRank.String && normalizeNumber(value) !== value
    ? rank | NEEDS_NORMALIZING
    : rank;
}
