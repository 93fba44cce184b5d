/**
 * The state of a model view, without the DOM: the layer selected in the summary, whose weights
 * and wiring (the layers it reads, the layers that read it) are shown.
 */
import type { ModelLayer, ModelPayload } from '@tsfx/protocol';

export interface LayerWiring {
  layer: ModelLayer;
  /** Layers it reads (Keras' "Connected to"). */
  inbound: string[];
  /** Layers that read it. */
  outbound: string[];
}

export class ModelViewModel {
  private selected: string | null = null;

  constructor(private readonly payload: ModelPayload) {}

  get selection(): string | null {
    return this.selected;
  }

  /** Selects a layer by name; selecting the selected layer again clears the selection. */
  toggle(name: string): void {
    this.selected = this.selected === name ? null : name;
  }

  wiring(): LayerWiring | null {
    const layer = this.payload.layers.find((l) => l.name === this.selected);
    if (!layer) return null;
    const outbound = this.payload.layers
      .filter((l) => l.inbound.includes(layer.name))
      .map((l) => l.name);
    return { layer, inbound: layer.inbound, outbound };
  }
}
