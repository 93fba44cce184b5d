import type { ArtifactType } from '../artifacts/artifactTypes';
import type { ArtifactRecord } from '../metadata/types';
import type { Component } from './Component';

/**
 * A typed stream of artifacts between components: the output `key` of `producer`. Passing a
 * channel as another component's input is what wires the DAG. After the producer has run in this
 * process, `artifacts` holds what it produced (or reused from cache).
 */
export class Channel<T extends ArtifactType = ArtifactType> {
  artifacts: ArtifactRecord[] = [];

  constructor(
    readonly type: T,
    readonly producer: Component,
    readonly key: string,
  ) {}

  toString(): string {
    return `${this.producer.id}.outputs.${this.key} (${this.type})`;
  }
}
