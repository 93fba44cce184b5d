import { resolve } from 'node:path';
import { TsfxError } from '../errors';
import { Pipeline } from '../pipeline/Pipeline';

/** Runtime parameters the CLI passes to a pipeline file's `createPipeline(params)`. */
export interface PipelineParams {
  dataRoot?: string;
  pipelineRoot?: string;
  metadataPath?: string;
  enableCache?: boolean;
}

interface PipelineModule {
  createPipeline?: (params: PipelineParams) => Pipeline | Promise<Pipeline>;
  default?: unknown;
}

/** A loaded pipeline file's module (for a DAG file, its `dag` export is read from it too). */
export type LoadedModule = PipelineModule & Record<string, unknown>;

let tsLoaderRegistered = false;

/**
 * Lets `require` load TypeScript pipeline files (through tsx, an esbuild-based loader), unless a
 * loader for `.ts` is there already (a scheduler's task process registers its own: no tsx).
 */
export function registerTypeScript(): void {
  if (tsLoaderRegistered || require.extensions['.ts']) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require('tsx/cjs/api') as { register: () => unknown };
  api.register();
  tsLoaderRegistered = true;
}

/** Requires a pipeline (or DAG) file, TypeScript through tsx; a missing file is one clear line. */
export function requirePipelineModule(file: string): LoadedModule {
  const path = resolve(file);
  if (/\.[cm]?tsx?$/.test(path)) registerTypeScript();
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).includes(path)
    ) {
      throw new TsfxError(`pipeline file ${file} does not exist`);
    }
    throw error;
  }
  return mod as LoadedModule;
}

/**
 * Loads a pipeline file: a module exporting `createPipeline(params)` (preferred: it receives the
 * runtime parameters, and `conf`, a run's config such as a DAG's params, under them) or a
 * `Pipeline` as its default export.
 */
export async function loadPipeline(
  file: string,
  params: PipelineParams,
  conf: Record<string, unknown> = {},
): Promise<Pipeline> {
  return pipelineFromModule(requirePipelineModule(file), file, params, conf);
}

export async function pipelineFromModule(
  mod: LoadedModule,
  file: string,
  params: PipelineParams,
  conf: Record<string, unknown> = {},
): Promise<Pipeline> {
  if (typeof mod.createPipeline === 'function') {
    const given = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    const pipeline = await mod.createPipeline({ ...conf, ...given });
    if (!(pipeline instanceof Pipeline))
      throw new TsfxError(`${file}: createPipeline() did not return a Pipeline`);
    return pipeline;
  }
  const exported =
    mod.default instanceof Pipeline
      ? mod.default
      : (mod.default as { default?: unknown } | undefined)?.default;
  if (!(exported instanceof Pipeline)) {
    throw new TsfxError(`${file} exports neither createPipeline(params) nor a default Pipeline`);
  }
  if (Object.keys(conf).length > 0) {
    throw new TsfxError(
      `${file} has no createPipeline(params), so a run config (${Object.keys(conf).join(', ')}) cannot be applied to it`,
    );
  }
  if (params.dataRoot !== undefined) {
    throw new TsfxError(
      `${file} has no createPipeline(params), so --data-root cannot be applied to it`,
    );
  }
  if (
    params.pipelineRoot === undefined &&
    params.metadataPath === undefined &&
    params.enableCache === undefined
  ) {
    return exported;
  }
  const pipelineRoot = params.pipelineRoot ?? exported.pipelineRoot;
  return new Pipeline({
    name: exported.name,
    pipelineRoot,
    metadataPath: params.metadataPath ?? (params.pipelineRoot ? undefined : exported.metadataPath),
    enableCache: params.enableCache ?? exported.enableCache,
    components: [...exported.components],
  });
}
