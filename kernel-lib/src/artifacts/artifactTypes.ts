/** The artifact types of a tsfx pipeline, named as TFX names them. */
export const ARTIFACT_TYPES = [
  'Examples',
  'ExampleStatistics',
  'Schema',
  'ExampleAnomalies',
  'TransformGraph',
  'Model',
  'ModelRun',
  'ModelEvaluation',
  'ModelBlessing',
  'PushedModel',
] as const;

export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export function isArtifactType(name: string): name is ArtifactType {
  return (ARTIFACT_TYPES as readonly string[]).includes(name);
}
