/** Minimal structural checks of payload JSON, with the path of the first problem. */

export class PayloadError extends Error {
  constructor(
    readonly path: string,
    expected: string,
    actual: unknown,
  ) {
    super(`tsfx payload: ${path} should be ${expected}, got ${describe(actual)}`);
    this.name = 'PayloadError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v;
}

export type JsonRecord = Readonly<Record<string, unknown>>;

export function record(v: unknown, path: string): JsonRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new PayloadError(path, 'an object', v);
  return v as JsonRecord;
}

export function array(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) throw new PayloadError(path, 'an array', v);
  return v;
}

export function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new PayloadError(path, 'a string', v);
  return v;
}

export function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new PayloadError(path, 'a finite number', v);
  return v;
}

export function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new PayloadError(path, 'a boolean', v);
  return v;
}

export function nullable<T>(
  check: (v: unknown, path: string) => T,
): (v: unknown, path: string) => T | null {
  return (v, path) => (v === null ? null : check(v, path));
}

export function oneOf<T extends string>(values: readonly T[]): (v: unknown, path: string) => T {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw new PayloadError(path, `one of ${values.join(', ')}`, v);
    }
    return v as T;
  };
}

export function scalar(v: unknown, path: string): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  throw new PayloadError(path, 'a string, number, boolean or null', v);
}
