import * as v from 'valibot';

/**
 * The pipeline IR: a pipeline's DAG as JSON, so that tools (the CLI, a scheduler, the DAG panel)
 * read it without importing the user's TypeScript. `Pipeline.toJSON()` writes it; every run keeps
 * the IR it started with in its run context in the metadata store and as
 * `<pipelineRoot>/.runs/<run id>/pipeline.json`.
 *
 * ```json
 * { "irVersion": 1, "name": "chicago_taxi", "pipelineRoot": "/abs/root",
 *   "metadataPath": "/abs/metadata.sqlite", "enableCache": true,
 *   "components": [
 *     { "id": "CsvExampleGen", "type": "CsvExampleGen", "parameters": { "inputBase": "…" },
 *       "inputs": {}, "outputs": { "examples": "Examples" }, "moduleFiles": [] },
 *     { "id": "Trainer", "type": "Trainer", "parameters": { … },
 *       "inputs": { "examples": { "channel": "Transform.transformed_examples", "optional": false } },
 *       "outputs": { "model": "Model", "model_run": "ModelRun" },
 *       "moduleFiles": [{ "path": "/abs/taxi_utils.ts", "sha256": "…" }] } ] }
 * ```
 *
 * Components are listed in an order where every producer comes before its consumers. An input's
 * `channel` is `<producer id>.<output key>`: output keys hold no dot, so the last dot splits it.
 * An `optional` input (TFX's `optional=True`) may find no artifact; the executor then sees it
 * `undefined`.
 */
export const PIPELINE_IR_VERSION = 1;

/** Pipeline and component ids: a letter, then letters, digits, `_`, `.` or `-`. */
export const PIPELINE_ID_PATTERN = /^[A-Za-z][\w.-]*$/;
/** Input and output keys: identifiers (no dot, so that `<producer id>.<key>` splits at its last dot). */
export const PIPELINE_KEY_PATTERN = /^[A-Za-z_]\w*$/;

/** `<producer id>.<output key>`. */
export const PIPELINE_CHANNEL_PATTERN = /^[A-Za-z][\w.-]*\.[A-Za-z_]\w*$/;

const idSchema = v.pipe(
  v.string(),
  v.regex(PIPELINE_ID_PATTERN, 'an id: a letter, then [A-Za-z0-9_.-]'),
);
const keySchema = v.pipe(
  v.string(),
  v.regex(PIPELINE_KEY_PATTERN, 'a key: an identifier without dots'),
);

/** A JSON value, as component parameters are. */
export type IrParameterValue =
  string | number | boolean | null | IrParameterValue[] | { [key: string]: IrParameterValue };
const parameterValueSchema: v.GenericSchema<IrParameterValue> = v.union([
  v.string(),
  v.number(),
  v.boolean(),
  v.null(),
  v.array(v.lazy(() => parameterValueSchema)),
  v.record(
    v.string(),
    v.lazy(() => parameterValueSchema),
  ),
]);

export const PipelineInputSchema = v.object({
  /** `<producer id>.<output key>`. */
  channel: v.pipe(
    v.string(),
    v.regex(PIPELINE_CHANNEL_PATTERN, 'a channel "<producer id>.<output key>"'),
  ),
  optional: v.boolean(),
});
export type PipelineInput = v.InferOutput<typeof PipelineInputSchema>;

export const PipelineModuleFileSchema = v.object({
  path: v.string(),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')),
});
export type PipelineModuleFile = v.InferOutput<typeof PipelineModuleFileSchema>;

export const PipelineComponentSchema = v.object({
  id: idSchema,
  /** The component's class, TFX's name (`CsvExampleGen`, `Trainer`, …). */
  type: v.string(),
  parameters: v.record(v.string(), parameterValueSchema),
  inputs: v.record(keySchema, PipelineInputSchema),
  /** Output key → artifact type (`Examples`, `Model`, …). */
  outputs: v.record(keySchema, v.string()),
  /** User code the component runs (a `moduleFile` parameter), with its content's hash. */
  moduleFiles: v.array(PipelineModuleFileSchema),
});
export type PipelineComponent = v.InferOutput<typeof PipelineComponentSchema>;

const PipelineIrObjectSchema = v.object({
  irVersion: v.literal(PIPELINE_IR_VERSION),
  name: idSchema,
  pipelineRoot: v.string(),
  metadataPath: v.string(),
  enableCache: v.boolean(),
  components: v.array(PipelineComponentSchema),
});

export const PipelineIrSchema = v.pipe(
  PipelineIrObjectSchema,
  v.check(
    (ir) => dagProblem(ir.components) === null,
    (issue) =>
      dagProblem((issue.input as v.InferOutput<typeof PipelineIrObjectSchema>).components) ?? '',
  ),
);
export type PipelineIr = v.InferOutput<typeof PipelineIrSchema>;

/** `<producer id>.<output key>` → its parts, or null when it is not one. */
export function parseChannel(channel: string): { producer: string; key: string } | null {
  if (!PIPELINE_CHANNEL_PATTERN.test(channel)) return null;
  const dot = channel.lastIndexOf('.');
  return { producer: channel.slice(0, dot), key: channel.slice(dot + 1) };
}

export function channelName(producer: string, key: string): string {
  return `${producer}.${key}`;
}

/** The DAG's edges: each input of each component, from the producer's output. */
export function pipelineEdges(
  ir: PipelineIr,
): { from: string; output: string; to: string; input: string; optional: boolean }[] {
  return ir.components.flatMap((component) =>
    Object.entries(component.inputs).map(([input, { channel, optional }]) => {
      const { producer, key } = parseChannel(channel)!;
      return { from: producer, output: key, to: component.id, input, optional };
    }),
  );
}

/**
 * Unique ids, and every input reads an output of a component listed before it (so the list is in
 * DAG order and has no cycle). Returns the first problem, naming where it is.
 */
function dagProblem(components: PipelineComponent[]): string | null {
  const seen = new Map<string, PipelineComponent>();
  for (const [index, component] of components.entries()) {
    if (seen.has(component.id)) {
      return `components[${index}].id: a second component with id "${component.id}"`;
    }
    for (const [key, input] of Object.entries(component.inputs)) {
      const { producer, key: output } = parseChannel(input.channel)!;
      const upstream = seen.get(producer);
      if (!upstream || !(output in upstream.outputs)) {
        return `components[${index}].inputs.${key}.channel: ${input.channel} is not an output of a component listed before ${component.id}`;
      }
    }
    seen.set(component.id, component);
  }
  return null;
}

/**
 * Checks parsed JSON as a pipeline IR: returns it, or throws an Error whose message names the
 * first problem and where it is (`components[2].inputs.examples.channel: …`).
 */
export function parsePipelineIr(data: unknown): PipelineIr {
  const result = v.safeParse(PipelineIrSchema, data, { abortPipeEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  // Keys as `.key` (`["odd key"]`), indices as `[i]`: as the DAG check's messages name places.
  const path = (issue.path ?? [])
    .map(({ key }) =>
      typeof key === 'number'
        ? `[${key}]`
        : PIPELINE_KEY_PATTERN.test(String(key))
          ? `.${String(key)}`
          : `[${JSON.stringify(key)}]`,
    )
    .join('')
    .replace(/^\./, '');
  if (issue.type === 'check') throw new Error(issue.message);
  const expected = issue.kind === 'schema' ? issue.expected : issue.message;
  const missing = issue.kind === 'schema' && issue.input === undefined;
  throw new Error(
    `${path || 'pipeline'}: ${missing ? 'missing' : `expected ${expected}, got ${issue.received}`}`,
  );
}
