import { join, resolve } from 'node:path';
import { SCHEMA_FILE } from '../artifacts/splitFiles';
import { Component, hashFile, type ExecutorContext } from '../pipeline/Component';
import { readSchemaFile, writeJsonFile } from '../artifacts/protoJsonFiles';

export type ImportSchemaGenParameters = {
  schemaFile: string;
};

/** Uses a curated schema file (TFDV Schema as proto3 JSON) instead of inferring one. */
export class ImportSchemaGen extends Component<ImportSchemaGenParameters> {
  readonly type = 'ImportSchemaGen';

  constructor(options: { schemaFile: string }) {
    super({
      inputs: {},
      outputs: { schema: 'Schema' },
      parameters: { schemaFile: resolve(options.schemaFile) },
    });
  }

  /** An edited schema file misses the cache. */
  override async fingerprint(): Promise<Record<string, string>> {
    return { schemaFile: await hashFile(this.parameters.schemaFile) };
  }

  async execute({
    outputs,
    parameters,
  }: ExecutorContext<ImportSchemaGenParameters>): Promise<void> {
    const schema = readSchemaFile(parameters.schemaFile);
    writeJsonFile(join(outputs.schema.uri, SCHEMA_FILE), schema);
    outputs.schema.properties = { imported_from: parameters.schemaFile };
  }
}
