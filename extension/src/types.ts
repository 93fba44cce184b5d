import type {
  AnomaliesPayload,
  ExamplesPayload,
  LineagePayload,
  SchemaPayload,
  StatisticsPayload,
  TrainingPayload,
} from './payloads.js';
import type { MIME_TYPES, PayloadKind } from '@tsfx/protocol';

/**
 * The payload each implemented renderer draws, by kind. A new renderer (training,
 * evaluation) adds its payload type here, a file (or a folder, by phase) under renderers/ and one
 * line in registry.ts.
 */
export interface PayloadMap {
  examples: ExamplesPayload;
  statistics: StatisticsPayload;
  schema: SchemaPayload;
  anomalies: AnomaliesPayload;
  lineage: LineagePayload;
  training: TrainingPayload;
}

export type RenderedKind = keyof PayloadMap & PayloadKind;

export interface RendererSpec<K extends RenderedKind> {
  readonly kind: K;
  readonly mimeType: (typeof MIME_TYPES)[K];
  /** Class of the root element the renderer draws (`tsfx-<kind>`). */
  readonly rootClass: `tsfx-${K}`;
  /** Checks the JSON the kernel sent and returns it typed; throws PayloadError if malformed. */
  parse(data: unknown): PayloadMap[K];
  /** Draws the payload into `host` (empty on entry) using host.ownerDocument. */
  render(host: HTMLElement, payload: PayloadMap[K]): void;
}

export type AnyRendererSpec = { [K in RenderedKind]: RendererSpec<K> }[RenderedKind];
