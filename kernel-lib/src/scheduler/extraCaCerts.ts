import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

/**
 * NODE_EXTRA_CA_CERTS for task processes. Node 20 reads the file at every start, before any code
 * runs, and builds its whole root store then (its bundled roots and every certificate of the file,
 * nodejs/node#40524): ~90 ms of CPU per task process on this project's 2-core machine, where the
 * variable names the system bundle (/etc/ssl/certs/ca-certificates.crt, a common setup behind a
 * TLS-inspecting proxy), whose certificates are mostly Node's own bundled roots again.
 *
 * A task process gets the same trust from a file holding only the certificates Node does not
 * bundle (a root store is a set: adding a bundled root again changes nothing), and no variable at
 * all when none is left. The file is written once per content next to the scheduler's store. The
 * task process puts the user's value back in its environment (`TSFX_NODE_EXTRA_CA_CERTS`), so what
 * it starts gets the variable as the user set it.
 */

/** The user's NODE_EXTRA_CA_CERTS, as a task process restores it. */
export const ORIGINAL_EXTRA_CA_CERTS = 'TSFX_NODE_EXTRA_CA_CERTS';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

const der = (pem: string): string => pem.replace(/-----[^-]+-----|\s+/g, '');

/**
 * The certificates of a PEM file that Node does not bundle, or null when the file is not made of
 * certificates only (then Node reads it itself, warnings and all).
 */
export function certificatesNotBundled(text: string): string[] | null {
  const blocks = text.match(PEM_BLOCK) ?? [];
  // Anything besides certificate blocks and whitespace: leave the file to Node.
  if (text.replace(PEM_BLOCK, '').trim() !== '') return null;
  const bundled = new Set(rootCertificates.map(der));
  const kept: string[] = [];
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return null;
    }
    if (!bundled.has(der(block))) kept.push(block);
  }
  return kept;
}

interface Derived {
  size: number;
  mtimeMs: number;
  value: string;
}

/** By folder and source file: what NODE_EXTRA_CA_CERTS became. */
const derived = new Map<string, Derived>();

/**
 * The environment for task processes: `env` with NODE_EXTRA_CA_CERTS narrowed to what Node does
 * not bundle (a file under `folder`), or as it is when it is unset or unreadable.
 */
export function taskProcessEnv(
  folder: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const source = env.NODE_EXTRA_CA_CERTS;
  if (!source) return env;
  let stat;
  try {
    stat = statSync(source);
  } catch {
    return env;
  }
  const key = `${folder}\0${source}`;
  let known = derived.get(key);
  if (
    known?.size !== stat.size ||
    known.mtimeMs !== stat.mtimeMs ||
    (known.value !== '' && !existsSync(known.value))
  ) {
    const value = narrowed(source, folder);
    if (value === null) return env;
    known = { size: stat.size, mtimeMs: stat.mtimeMs, value };
    derived.set(key, known);
  }
  return { ...env, NODE_EXTRA_CA_CERTS: known.value, [ORIGINAL_EXTRA_CA_CERTS]: source };
}

/** The narrowed file's path ('' when every certificate is bundled), or null to keep the source. */
function narrowed(source: string, folder: string): string | null {
  let kept: string[] | null;
  try {
    kept = certificatesNotBundled(readFileSync(source, 'utf8'));
  } catch {
    return null;
  }
  if (kept === null) return null;
  if (kept.length === 0) return '';
  const text = kept.join('\n') + '\n';
  const path = join(folder, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.pem`);
  try {
    mkdirSync(folder, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, text, { mode: 0o644 });
    renameSync(partial, path);
  } catch {
    return null;
  }
  return path;
}

/** In a task process: the user's NODE_EXTRA_CA_CERTS back, for the processes the task starts. */
export function restoreExtraCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const original = env[ORIGINAL_EXTRA_CA_CERTS];
  if (original === undefined) return;
  env.NODE_EXTRA_CA_CERTS = original;
  delete env[ORIGINAL_EXTRA_CA_CERTS];
}
