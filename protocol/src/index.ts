/**
 * @tsfx/protocol: the one contract between the tsfx kernel library, its CLI and servers, and the
 * JupyterLab extension. No `node:` import and no DOM: every module runs on both sides.
 */
export * from './mime';
export * from './valueTypes';
export * from './api/pipeline';
