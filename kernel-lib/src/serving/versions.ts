import { readdirSync } from 'node:fs';
import { TsfxError } from '../errors';

/**
 * A model base path holds one folder per version, named by its number (TF Serving's layout:
 * `<base>/<version>/`). Anything else in it (a push still being written, `.tsfx-push-…`) is not a
 * version and is never served.
 */
const VERSION_NAME = /^\d{1,15}$/;

/** The version numbers in a model base path, ascending. */
export function listVersions(baseDirectory: string): number[] {
  return readdirSync(baseDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && VERSION_NAME.test(entry.name))
    .map((entry) => Number(entry.name))
    .sort((a, b) => a - b);
}

/** TF Serving's version policies: the newest N versions (`latest:1` by default), or all of them. */
export type VersionPolicy = { kind: 'latest'; count: number } | { kind: 'all' };

export function parseVersionPolicy(text: string): VersionPolicy {
  if (text === 'all') return { kind: 'all' };
  if (text === 'latest') return { kind: 'latest', count: 1 };
  const match = /^latest:(\d+)$/.exec(text);
  if (match && Number(match[1]) >= 1) return { kind: 'latest', count: Number(match[1]) };
  throw new TsfxError(`--version-policy must be all, latest or latest:N (N >= 1), not "${text}"`);
}

/** The versions a policy wants served, ascending. */
export function aspiredVersions(versions: readonly number[], policy: VersionPolicy): number[] {
  const sorted = [...versions].sort((a, b) => a - b);
  return policy.kind === 'all' ? sorted : sorted.slice(-policy.count);
}
