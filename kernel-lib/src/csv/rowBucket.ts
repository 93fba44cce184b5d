/**
 * A row's split bucket: DuckDB 1.5's `hash()` of the row's field values joined by U+001F (what
 * `hash(concat_ws(chr(31), coalesce(c, '')…))` gave when DuckDB split the rows), modulo the total
 * number of buckets. Computed here, in 32-bit halves, so that the CSV reader can route each row
 * to its split as it reads it; the tests check it against DuckDB itself.
 *
 * DuckDB's string hash: h = 0xe17a1465 ^ (length * 0xc6a4a7935bd1e995); for each 8-byte
 * little-endian block (the last one zero-padded) h = (h ^ block) * 0xd6e8feb86659fd93; then
 * three rounds of h ^= h >> 32 with a multiply by the same constant between them.
 */
export class RowBucketer {
  /** The row text; callers write it at offset 0 and pass its length to `bucket`. */
  bytes: Buffer;
  private words: Uint32Array;

  constructor(capacity = 1 << 16) {
    this.bytes = Buffer.alloc(0);
    this.words = new Uint32Array(0);
    this.ensure(capacity);
  }

  /** Makes room for a row text of `length` bytes, keeping what is written. */
  ensure(length: number): void {
    const size = (length + 16) & ~7;
    if (size <= this.bytes.length) return;
    // Its own ArrayBuffer, at offset 0: the 8-byte blocks are read as aligned 32-bit words.
    const buffer = new ArrayBuffer(Math.max(size, this.bytes.length * 2));
    const bytes = Buffer.from(buffer);
    this.bytes.copy(bytes);
    this.bytes = bytes;
    this.words = new Uint32Array(buffer);
  }

  /** The bucket in [0, totalBuckets) of the row text `bytes[0, length)`. */
  bucket(length: number, totalBuckets: number): number {
    const bytes = this.bytes;
    const words = this.words;
    for (let k = length; k < ((length + 7) & ~7); k++) bytes[k] = 0;
    mul64(0, length, 0xc6a4a793, 0x5bd1e995);
    let hi = productHi;
    let lo = (productLo ^ 0xe17a1465) >>> 0;
    const blocks = (length + 7) >>> 3;
    for (let b = 0; b < blocks; b++) {
      // (hi, lo) = ((hi, lo) ^ block) * K, K = 0xd6e8feb86659fd93, inlined: this is the hot loop.
      const h = (hi ^ words[2 * b + 1]) >>> 0;
      const l = (lo ^ words[2 * b]) >>> 0;
      const l0 = l & 0xffff;
      const l1 = l >>> 16;
      const p00 = l0 * 0xfd93;
      const p01 = l0 * 0x6659;
      const p10 = l1 * 0xfd93;
      const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
      lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
      hi =
        (l1 * 0x6659 +
          (p01 >>> 16) +
          (p10 >>> 16) +
          (mid >>> 16) +
          Math.imul(l, 0xd6e8feb8) +
          Math.imul(h, 0x6659fd93)) >>>
        0;
    }
    for (let round = 0; round < 2; round++) {
      mul64(hi, (lo ^ hi) >>> 0, 0xd6e8feb8, 0x6659fd93);
      hi = productHi;
      lo = productLo;
    }
    lo = (lo ^ hi) >>> 0;
    // (hi * 2^32 + lo) mod n, exact in doubles for n < 2^21.
    return ((hi % totalBuckets) * (4294967296 % totalBuckets) + (lo % totalBuckets)) % totalBuckets;
  }
}

let productHi = 0;
let productLo = 0;

/** The low 64 bits of (ah, al) * (bh, bl) into (productHi, productLo). */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  productLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  productHi =
    (a1 * b1 +
      (p01 >>> 16) +
      (p10 >>> 16) +
      (mid >>> 16) +
      Math.imul(al, bh) +
      Math.imul(ah, bl)) >>>
    0;
}
