import { join } from 'node:path';
import { errorMessage } from '../errors';
import type { RawRow } from '../transform/graph';
import type { ServingBundle } from '../trainer/servingBundle';
import { Microbatcher } from './microbatch';
import { featureMap, type RawFeature } from './requests';
import { aspiredVersions, listVersions, type VersionPolicy } from './versions';

/** TF Serving's ManagerState names, as GetModelStatus reports them. */
export type VersionState = 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export interface VersionStatus {
  version: number;
  state: VersionState;
  /** Why loading failed (state END). */
  error: string | null;
}

/** A version held for one request: scored through, then released. */
export interface VersionLease {
  readonly version: number;
  readonly bundle: ServingBundle;
  readonly features: ReadonlyMap<string, RawFeature>;
  score(rows: readonly RawRow[]): Promise<Float32Array>;
  release(): void;
}

export interface VersionManagerOptions {
  baseDirectory: string;
  policy: VersionPolicy;
  pollMs: number;
  /** Loads a version folder (a serving bundle). */
  load(dir: string): Promise<ServingBundle>;
  log(message: string): void;
  batch: { maxRows: number; acrossRequests: boolean };
}

interface Entry extends VersionStatus {
  bundle: ServingBundle | null;
  batcher: Microbatcher | null;
  features: ReadonlyMap<string, RawFeature>;
  /** Requests holding this version. */
  refs: number;
  failedLoads: number;
}

/** Loading a broken version is tried this many times (a poll apart), as TF Serving retries. */
const MAX_LOAD_ATTEMPTS = 5;

/**
 * The versions of one model, kept as the base path and the version policy say (TF Serving's
 * AspiredVersionsManager with its availability-preserving policy). Each poll lists the numbered
 * folders; a new version is loaded and warmed (scored once) before it takes traffic, and a
 * version the policy no longer wants is taken out of routing only once a wanted version is
 * AVAILABLE, then unloaded when its last request is done. A version that fails to load is
 * reported (state END, with the error) and the versions already served keep serving.
 */
export class VersionManager {
  private readonly entries = new Map<number, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private lastListError: string | null = null;

  constructor(private readonly options: VersionManagerOptions) {}

  /** Loads what the base path holds now, then polls it. */
  async start(): Promise<void> {
    await this.poll();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
  }

  /** One look at the base path (polls never overlap). */
  poll(): Promise<void> {
    this.polling ??= this.reconcile().finally(() => (this.polling = null));
    return this.polling;
  }

  /** Stops polling; versions are unloaded as their last request ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    for (const entry of this.entries.values()) {
      if (entry.state === 'AVAILABLE') entry.state = 'UNLOADING';
      this.disposeIfUnused(entry);
    }
  }

  /** The status of every version known, newest first. */
  statuses(): VersionStatus[] {
    return [...this.entries.values()]
      .sort((a, b) => b.version - a.version)
      .map(({ version, state, error }) => ({ version, state, error }));
  }

  /** The newest AVAILABLE version, or the one asked for if it is AVAILABLE. */
  acquire(version?: number): VersionLease | null {
    let entry: Entry | undefined;
    if (version === undefined) {
      for (const e of this.entries.values()) {
        if (e.state === 'AVAILABLE' && (!entry || e.version > entry.version)) entry = e;
      }
    } else {
      entry = this.entries.get(version);
    }
    if (!entry || entry.state !== 'AVAILABLE') return null;
    const held = entry;
    held.refs++;
    let released = false;
    return {
      version: held.version,
      bundle: held.bundle!,
      features: held.features,
      score: (rows) => held.batcher!.score(rows),
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        this.disposeIfUnused(held);
      },
    };
  }

  private async reconcile(): Promise<void> {
    let versions: number[];
    try {
      versions = listVersions(this.options.baseDirectory);
      this.lastListError = null;
    } catch (error) {
      const message = `cannot list ${this.options.baseDirectory}: ${errorMessage(error)}`;
      if (message !== this.lastListError) this.options.log(message);
      this.lastListError = message;
      return;
    }
    const aspired = aspiredVersions(versions, this.options.policy);
    for (const version of [...aspired].reverse()) {
      if (this.stopped) return;
      const entry = this.entries.get(version);
      if (entry && entry.state !== 'END') continue;
      if (entry && entry.failedLoads >= MAX_LOAD_ATTEMPTS) continue;
      await this.load(version, entry);
    }
    const wanted = new Set(aspired);
    const replacementReady = aspired.some((v) => this.entries.get(v)?.state === 'AVAILABLE');
    for (const entry of this.entries.values()) {
      if (wanted.has(entry.version)) continue;
      if (entry.state === 'END') this.entries.delete(entry.version);
      else if (entry.state === 'AVAILABLE' && replacementReady) {
        entry.state = 'UNLOADING';
        this.options.log(
          `version ${entry.version}: no longer wanted; unloading after its last request`,
        );
        this.disposeIfUnused(entry);
      }
    }
  }

  private async load(version: number, previous: Entry | undefined): Promise<void> {
    const entry: Entry = previous ?? {
      version,
      state: 'LOADING',
      error: null,
      bundle: null,
      batcher: null,
      features: new Map(),
      refs: 0,
      failedLoads: 0,
    };
    entry.state = 'LOADING';
    this.entries.set(version, entry);
    const started = performance.now();
    try {
      const bundle = await this.options.load(join(this.options.baseDirectory, String(version)));
      try {
        await warm(bundle);
      } catch (error) {
        this.options.log(
          `version ${version}: warm-up on a row of missing values failed (${errorMessage(error)}); serving it unwarmed`,
        );
      }
      entry.bundle = bundle;
      entry.features = featureMap(bundle.manifest.rawFeatures);
      entry.batcher = new Microbatcher((rows) => bundle.predictRaw(rows), this.options.batch);
      entry.error = null;
      if (this.stopped) {
        bundle.model.dispose();
        this.entries.delete(version);
        return;
      }
      entry.state = 'AVAILABLE';
      const ms = Math.round(performance.now() - started);
      this.options.log(`version ${version}: loaded and warmed in ${ms} ms; AVAILABLE`);
    } catch (error) {
      entry.state = 'END';
      entry.error = errorMessage(error);
      entry.failedLoads++;
      const again = entry.failedLoads < MAX_LOAD_ATTEMPTS ? 'will retry' : 'giving up';
      this.options.log(
        `version ${version}: failed to load (attempt ${entry.failedLoads} of ${MAX_LOAD_ATTEMPTS}, ${again}): ${entry.error}`,
      );
    }
  }

  private disposeIfUnused(entry: Entry): void {
    if (entry.state !== 'UNLOADING' || entry.refs > 0 || (entry.batcher?.pending ?? 0) > 0) return;
    entry.bundle?.model.dispose();
    entry.bundle = null;
    entry.batcher = null;
    this.entries.delete(entry.version);
    this.options.log(`version ${entry.version}: unloaded`);
  }
}

/** Lets requests waiting on the event loop run between the steps of loading a version. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Scores a row of missing values alone and in a small batch, so that the first requests do not
 * pay for the model's first runs (kernel setup, memory growth). Each step runs on this thread,
 * so requests are let through between them.
 */
async function warm(bundle: ServingBundle): Promise<void> {
  const row = Object.fromEntries(bundle.manifest.rawFeatures.map((f) => [f.name, null]));
  await yieldToRequests();
  bundle.predictRaw([row]);
  await yieldToRequests();
  bundle.predictRaw(Array.from({ length: 16 }, () => row));
  await yieldToRequests();
}
