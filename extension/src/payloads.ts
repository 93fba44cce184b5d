/**
 * The payload types the renderers receive. They are defined once, in kernel-lib
 * (kernel-lib/src/display/payloads.ts); this module only re-exports them as types.
 */
export type {
  ArtifactRef,
  CellValue,
  ColumnType,
  ExamplesPayload,
  LineageNode,
  LineageNodeKind,
  LineagePayload,
  PayloadKind,
  MIME_TYPES as PAYLOAD_MIME_TYPES,
} from '../../kernel-lib/src/display/payloads.js';
