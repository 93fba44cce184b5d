import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PIPELINE_ID_PATTERN, PIPELINE_KEY_PATTERN } from '@tsfx/protocol';
import type { ArtifactType } from '../artifacts/artifactTypes';
import { PipelineDefinitionError } from '../errors';
import type { ArtifactRecord, Properties } from '../metadata/types';
import type { TrainingEvent } from '../trainer/events';
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

/**
 * How far a long executor has come. Who shows it (a notebook display updated in place, a bar on a
 * terminal, log lines) is the caller's choice, not the executor's.
 */
export interface ProgressUpdate {
  step: number;
  /** The number of steps, when known. */
  total: number | null;
  /** Scalars to show with it (`loss`, `val_auc`, …); null when undefined. */
  metrics?: Record<string, number | null>;
  /** The Trainer's event this update comes from: a notebook draws live curves from these. */
  training?: TrainingEvent;
}

export interface ExecutorContext<P extends Parameters> {
  /**
   * Input artifacts by key: the LIVE outputs of the upstream components, from the metadata store.
   * An optional input with no artifact is absent (`inputs.key` is `undefined`).
   */
  inputs: Record<string, ArtifactRecord[]>;
  outputs: Record<string, OutputArtifact>;
  parameters: P;
  /** A line for the person watching (notebook cell, terminal or task log). */
  log(message: string): void;
  /** Progress of a long step (see ProgressUpdate). */
  progress(update: ProgressUpdate): void;
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

  /**
   * @param options.inputs channels by input key; an `undefined` one (an optional input the user
   *   did not wire) is left out. Make a channel optional with `channel.asOptional()`.
   */
  protected constructor(options: {
    inputs: Record<string, Channel | undefined>;
    outputs: Record<string, ArtifactType>;
    parameters: P;
  }) {
    this.inputs = {};
    for (const [key, channel] of Object.entries(options.inputs)) {
      if (channel) this.inputs[checkKey(key)] = channel;
    }
    this.parameters = options.parameters;
    this.outputs = {};
    for (const [key, type] of Object.entries(options.outputs)) {
      this.outputs[checkKey(key)] = new Channel(type, this, key);
    }
  }

  get id(): string {
    return this.customId ?? this.type;
  }

  withId(id: string): this {
    if (!PIPELINE_ID_PATTERN.test(id)) {
      throw new Error(
        `component id "${id}" must start with a letter and hold only letters, digits, _ . -`,
      );
    }
    this.customId = id;
    return this;
  }

  abstract execute(context: ExecutorContext<P>): Promise<void>;

  /** User code the component runs: the file named by a `moduleFile` parameter, as in TFX. */
  moduleFiles(): string[] {
    const moduleFile = this.parameters.moduleFile;
    return typeof moduleFile === 'string' ? [moduleFile] : [];
  }

  /**
   * Fingerprints of what the component reads besides its input artifacts and parameters (input
   * files, module files), so that caching misses when they change. The default hashes the module
   * files.
   */
  async fingerprint(): Promise<Record<string, string>> {
    const files = this.moduleFiles();
    if (files.length === 1) return { moduleFile: hashFileSync(files[0]) };
    return Object.fromEntries(files.map((file) => [`moduleFile:${file}`, hashFileSync(file)]));
  }
}

/** SHA-256 of a file's content, in hex. */
export function hashFileSync(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export async function hashFile(path: string): Promise<string> {
  return hashFileSync(path);
}

function checkKey(key: string): string {
  if (!PIPELINE_KEY_PATTERN.test(key)) {
    throw new PipelineDefinitionError(
      `input or output key "${key}" must be an identifier (letters, digits, _; no dot)`,
    );
  }
  return key;
}
