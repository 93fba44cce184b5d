import type { ValueType } from '@tsfx/protocol';
import type { Schema } from '@tsfx/protocol';

/** The raw features of a schema with their value types (BYTES is STRING), in schema order. */
export function schemaFeatures(schema: Schema): { name: string; type: ValueType }[] {
  return (schema.feature ?? []).flatMap((feature) => {
    const type: ValueType | null =
      feature.type === 'INT'
        ? 'INT'
        : feature.type === 'FLOAT'
          ? 'FLOAT'
          : feature.type === 'BYTES'
            ? 'STRING'
            : null;
    return type ? [{ name: feature.name, type }] : [];
  });
}
