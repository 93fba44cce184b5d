import { fnv1a32 } from '../transform/hash';

/**
 * The split rule, pinned: it depends on no library's version, so the same row lands in the same
 * split on every machine and after every upgrade.
 *
 * - A row's text is the UTF-8 bytes of its values as read (quotes removed, doubled quotes
 *   undoubled, a missing value empty), each followed by a NUL byte but the last (no value holds
 *   a NUL: such input is refused). The row `a,"b ""c""",` is `a␀b "c"␀`.
 * - Its hash is 32-bit FNV-1a of that text (offset basis 0x811c9dc5, prime 0x01000193), the
 *   string hash the transform graph already fixes.
 * - Its bucket among n hash buckets is ⌊hash · n / 2³²⌋ (the hash's high bits: FNV's low bits
 *   mix poorly); split i owns the next `hashBuckets` buckets, in the order the splits are given.
 *
 * The byte reader (splitRange.ts) computes the same hash as it reads, byte by byte.
 */
export function rowHash(values: readonly string[]): number {
  return fnv1a32(values.join('\u0000'));
}

export function bucketOf(hash: number, totalBuckets: number): number {
  return Math.floor((hash * totalBuckets) / 4294967296);
}
