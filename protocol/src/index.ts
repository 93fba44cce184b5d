/**
 * @tsfx/protocol: the one contract between the tsfx kernel library, its CLI and servers, and the
 * JupyterLab extension. No `node:` import and no DOM: every module runs on both sides.
 */
export * from './mime';
export * from './valueTypes';
export * from './check';
export * from './proto/statistics';
export * from './proto/schema';
export * from './proto/anomalies';
export * from './proto/evaluation';
export * from './payloads';
export * from './format';
export * from './distances';
export * from './lineage';
export * from './schemaNotes';
export * from './api/pipeline';
export * from './api/scheduler';
export * from './files';
