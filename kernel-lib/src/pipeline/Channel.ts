import { channelName } from '@tsfx/protocol';
import type { ArtifactType } from '../artifacts/artifactTypes';
import type { ArtifactRecord } from '../metadata/types';
import type { Component } from './Component';

/**
 * A typed stream of artifacts between components: the output `key` of `producer`. Passing a
 * channel as another component's input is what wires the DAG. After the producer has run in this
 * process, `artifacts` holds what it produced (or reused from cache), for `show()`; a consumer's
 * inputs are resolved from the metadata store, not from here.
 */
export class Channel<T extends ArtifactType = ArtifactType> {
  private published: ArtifactRecord[] = [];
  private readonly source: Channel<T> | null;

  /**
   * @param optional an optional input (TFX's `optional=True`): when the store holds no LIVE
   *   artifact for it, the consumer runs anyway and sees the input `undefined`.
   */
  constructor(
    readonly type: T,
    readonly producer: Component,
    readonly key: string,
    readonly optional = false,
    source: Channel<T> | null = null,
  ) {
    this.source = source;
  }

  get artifacts(): ArtifactRecord[] {
    return this.source ? this.source.artifacts : this.published;
  }

  set artifacts(artifacts: ArtifactRecord[]) {
    if (this.source) this.source.artifacts = artifacts;
    else this.published = artifacts;
  }

  /** The same channel as an optional input; a component declares which of its inputs are. */
  asOptional(): Channel<T> {
    return this.optional ? this : new Channel(this.type, this.producer, this.key, true, this);
  }

  /** `<producer id>.<output key>`, as the pipeline IR names it. */
  get name(): string {
    return channelName(this.producer.id, this.key);
  }

  toString(): string {
    return `${this.producer.id}.outputs.${this.key} (${this.type})`;
  }
}
