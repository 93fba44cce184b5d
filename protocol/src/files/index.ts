export * from './layout';
export * from './protoJson';
export * from './eventLog';
export * from './artifactFiles';
export * from './evaluationFiles';
