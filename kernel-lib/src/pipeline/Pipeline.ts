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

/** Kahn's algorithm, keeping the given order among components that are ready together. */
export function topologicalOrder(
  pipelineName: string,
  components: readonly Component[],
): Component[] {
  const ids = new Map<string, Component>();
  for (const component of components) {
    const other = ids.get(component.id);
    if (other) {
      throw new PipelineDefinitionError(
        `pipeline ${pipelineName} has two components with id "${component.id}": give one another id with withId()`,
      );
    }
    ids.set(component.id, component);
  }
  for (const component of components) {
    for (const [key, channel] of Object.entries(component.inputs)) {
      if (!components.includes(channel.producer)) {
        throw new PipelineDefinitionError(
          `${component.id} input "${key}" comes from ${channel.producer.id}, which is not in pipeline ${pipelineName}: add it to the components`,
        );
      }
    }
  }
  const remaining = new Map(components.map((c) => [c, upstreams(c).length]));
  const order: Component[] = [];
  while (order.length < components.length) {
    const ready = components.find((c) => remaining.get(c) === 0);
    if (!ready) {
      const stuck = components.filter((c) => !order.includes(c)).map((c) => c.id);
      throw new PipelineDefinitionError(
        `pipeline ${pipelineName} has a cycle among: ${stuck.join(', ')}`,
      );
    }
    order.push(ready);
    remaining.set(ready, -1);
    for (const c of components) {
      if (upstreams(c).includes(ready)) remaining.set(c, remaining.get(c)! - 1);
    }
  }
  return order;
}
