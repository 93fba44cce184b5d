import { resolve } from 'node:path';
import { PIPELINE_ID_PATTERN, PIPELINE_IR_VERSION, type PipelineIr } from '@tsfx/protocol';
import { PipelineDefinitionError, TsfxError } from '../errors';
import { hashFileSync, type Component } from './Component';
import { resolveStoreLocation } from '../metadata/location';

export interface PipelineOptions {
  name: string;
  /** Where artifacts are written: `<pipelineRoot>/<ComponentId>/<output key>/<execution id>/`. */
  pipelineRoot: string;
  components: Component[];
  /** The metadata store (SQLite file); default `<pipelineRoot>/metadata.sqlite`. */
  metadataPath?: string;
  enableCache?: boolean;
}

/**
 * A pipeline: named components whose DAG is derived from channel wiring. Definition errors (a
 * duplicate id, an input whose producer is not in the pipeline, a cycle) are thrown here, when the
 * pipeline is built, not when it runs.
 */
export class Pipeline {
  readonly name: string;
  readonly pipelineRoot: string;
  readonly metadataPath: string;
  readonly enableCache: boolean;
  readonly components: readonly Component[];
  /** Components in an order where every producer comes before its consumers. */
  readonly order: readonly Component[];

  constructor(options: PipelineOptions) {
    if (!PIPELINE_ID_PATTERN.test(options.name)) {
      throw new PipelineDefinitionError(
        `pipeline name "${options.name}" must start with a letter and hold only letters, digits, _ . -`,
      );
    }
    this.name = options.name;
    this.pipelineRoot = resolve(options.pipelineRoot);
    this.metadataPath = resolveStoreLocation(
      options.metadataPath ?? `${this.pipelineRoot}/metadata.sqlite`,
    );
    this.enableCache = options.enableCache ?? true;
    this.components = [...options.components];
    this.order = topologicalOrder(this.name, this.components);
  }

  /** The components each component reads from, by id. */
  upstreamOf(component: Component): Component[] {
    return upstreams(component);
  }

  /** The component with this id; an error listing the ids when there is none. */
  component(id: string): Component {
    const found = this.components.find((c) => c.id === id);
    if (!found) {
      throw new TsfxError(
        `pipeline ${this.name} has no component "${id}" (its components: ${this.order.map((c) => c.id).join(', ')})`,
      );
    }
    return found;
  }

  /**
   * The pipeline IR (schema and format: protocol/src/api/pipeline.ts): components in DAG order with
   * their ids, types, parameters, input channels, output types and module files' hashes.
   */
  toJSON(): PipelineIr {
    return {
      irVersion: PIPELINE_IR_VERSION,
      name: this.name,
      pipelineRoot: this.pipelineRoot,
      metadataPath: this.metadataPath,
      enableCache: this.enableCache,
      components: this.order.map((component) => ({
        id: component.id,
        type: component.type,
        parameters: component.parameters,
        inputs: Object.fromEntries(
          Object.entries(component.inputs).map(([key, channel]) => [
            key,
            { channel: channel.name, optional: channel.optional },
          ]),
        ),
        outputs: Object.fromEntries(
          Object.entries(component.outputs).map(([key, channel]) => [key, channel.type]),
        ),
        moduleFiles: component
          .moduleFiles()
          .map((path) => ({ path: resolve(path), sha256: hashFileSync(path) })),
      })),
    };
  }
}

function upstreams(component: Component): Component[] {
  const result: Component[] = [];
  for (const channel of Object.values(component.inputs)) {
    if (!result.includes(channel.producer)) result.push(channel.producer);
  }
  return result;
}

/**
 * Kahn's algorithm, keeping the given order among components that are ready together: each step
 * takes the first component, in the given order, whose producers are all placed.
 */
export function topologicalOrder(
  pipelineName: string,
  components: readonly Component[],
): Component[] {
  const ids = new Map<string, Component>();
  const index = new Map<Component, number>();
  for (const [i, component] of components.entries()) {
    const other = ids.get(component.id);
    if (other) {
      throw new PipelineDefinitionError(
        `pipeline ${pipelineName} has two components with id "${component.id}": give one another id with withId()`,
      );
    }
    ids.set(component.id, component);
    index.set(component, i);
  }
  for (const component of components) {
    for (const [key, channel] of Object.entries(component.inputs)) {
      if (!index.has(channel.producer)) {
        throw new PipelineDefinitionError(
          `${component.id} input "${key}" comes from ${channel.producer.id}, which is not in pipeline ${pipelineName}: add it to the components`,
        );
      }
    }
  }
  // Per component: how many of its producers are not placed yet, and whom it feeds.
  const waiting = components.map((c) => upstreams(c).length);
  const consumers: number[][] = components.map(() => []);
  for (const [i, component] of components.entries()) {
    for (const producer of upstreams(component)) consumers[index.get(producer)!].push(i);
  }
  const placed = components.map(() => false);
  const order: Component[] = [];
  while (order.length < components.length) {
    const ready = waiting.findIndex((n, i) => n === 0 && !placed[i]);
    if (ready === -1) {
      const stuck = components.filter((_, i) => !placed[i]).map((c) => c.id);
      throw new PipelineDefinitionError(
        `pipeline ${pipelineName} has a cycle among: ${stuck.join(', ')}`,
      );
    }
    order.push(components[ready]);
    placed[ready] = true;
    for (const consumer of consumers[ready]) waiting[consumer] -= 1;
  }
  return order;
}
