import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ArtifactType } from '../artifacts/artifactTypes';
import type { ArtifactRecord, Properties } from '../metadata/types';
import { Channel } from './Channel';

/** JSON-serialisable parameter values: they are recorded with each execution and hashed for caching. */
export type ParameterValue =
  string | number | boolean | null | ParameterValue[] | { [key: string]: ParameterValue };
export type Parameters = { [key: string]: ParameterValue };

/** An output artifact while its execution runs: the executor writes under `uri` and sets properties. */
export interface OutputArtifact {
  readonly type: ArtifactType;
  /** A private staging folder; it is renamed to the artifact's final uri when the execution succeeds. */
  readonly uri: string;
  properties: Properties;
}

export interface ExecutorContext<P extends Parameters> {
  inputs: Record<string, ArtifactRecord[]>;
  outputs: Record<string, OutputArtifact>;
  parameters: P;
  /** A line of progress for the person watching (notebook cell or terminal). */
  log(message: string): void;
  /** Aborted when the run is interrupted; long executors should check it. */
  signal: AbortSignal;
}

/**
 * A pipeline step: declares typed inputs (channels from upstream components), outputs (channels it
 * produces) and JSON parameters, and implements `execute`. Its id defaults to its type and must be
 * unique in a pipeline (`withId` changes it, as TFX's `with_id`).
 */
export abstract class Component<P extends Parameters = Parameters> {
  abstract readonly type: string;
  readonly inputs: Record<string, Channel>;
  readonly outputs: Record<string, Channel>;
  readonly parameters: P;
  private customId: string | null = null;

  protected constructor(options: {
    inputs: Record<string, Channel>;
    outputs: Record<string, ArtifactType>;
    parameters: P;
  }) {
    this.inputs = { ...options.inputs };
    this.parameters = options.parameters;
    this.outputs = {};
    for (const [key, type] of Object.entries(options.outputs)) {
      this.outputs[key] = new Channel(type, this, key);
    }
  }

  get id(): string {
    return this.customId ?? this.type;
  }

  withId(id: string): this {
    if (!/^[A-Za-z][\w.-]*$/.test(id)) {
      throw new Error(
        `component id "${id}" must start with a letter and hold only letters, digits, _ . -`,
      );
    }
    this.customId = id;
    return this;
  }

  abstract execute(context: ExecutorContext<P>): Promise<void>;

  /**
   * Fingerprints of what the component reads besides its input artifacts and parameters (input
   * files, module files), so that caching misses when they change. The default hashes the file
   * named by a `moduleFile` parameter, as TFX does for user code.
   */
  async fingerprint(): Promise<Record<string, string>> {
    const moduleFile = this.parameters.moduleFile;
    if (typeof moduleFile !== 'string') return {};
    return { moduleFile: await hashFile(moduleFile) };
  }
}

export async function hashFile(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
