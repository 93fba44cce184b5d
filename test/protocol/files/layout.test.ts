// Where an artifact file sits in TFX's layout, from its path alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { artifactFileKind, locateArtifactFile, splitFiles } from '@tsfx/protocol';

describe('artifact files by path', () => {
  it('names the kind by the file name only (other names, other cases are not artifact files)', () => {
    assert.equal(artifactFileKind('a/Split-train/FeatureStats.json'), 'statistics');
    assert.equal(artifactFileKind('SchemaDiff.json'), 'anomalies');
    assert.equal(artifactFileKind('x/schema.json'), 'schema');
    assert.equal(artifactFileKind('/p/Trainer/model_run/7/events.jsonl'), 'training');
    assert.equal(artifactFileKind('/p/Evaluator/evaluation/9/metrics.jsonl'), 'evaluation');
    assert.equal(artifactFileKind('other.json'), null);
    assert.equal(artifactFileKind('featurestats.json'), null);
    assert.equal(artifactFileKind('FeatureStats.json/other.json'), null);
  });

  it('reads a per-split file: its split, its artifact folder and the producing component', () => {
    assert.deepEqual(
      locateArtifactFile(
        '.tsfx/pipelines/chicago_taxi/StatisticsGen/statistics/3/Split-eval/FeatureStats.json',
      ),
      {
        kind: 'statistics',
        path: '.tsfx/pipelines/chicago_taxi/StatisticsGen/statistics/3/Split-eval/FeatureStats.json',
        split: 'eval',
        artifact: {
          id: null,
          type: 'ExampleStatistics',
          uri: '.tsfx/pipelines/chicago_taxi/StatisticsGen/statistics/3',
          producer: 'StatisticsGen',
        },
      },
    );
    assert.deepEqual(
      locateArtifactFile('/abs/root/ExampleValidator/anomalies/12/Split-train/SchemaDiff.json')
        ?.artifact,
      {
        id: null,
        type: 'ExampleAnomalies',
        uri: '/abs/root/ExampleValidator/anomalies/12',
        producer: 'ExampleValidator',
      },
    );
  });

  it('reads whole-artifact files (schema, the model run log)', () => {
    assert.deepEqual(locateArtifactFile('p/SchemaGen/schema/4/schema.json'), {
      kind: 'schema',
      path: 'p/SchemaGen/schema/4/schema.json',
      split: null,
      artifact: { id: null, type: 'Schema', uri: 'p/SchemaGen/schema/4', producer: 'SchemaGen' },
    });
    assert.deepEqual(locateArtifactFile('/r/Trainer/model_run/7/events.jsonl')?.artifact, {
      id: null,
      type: 'ModelRun',
      uri: '/r/Trainer/model_run/7',
      producer: 'Trainer',
    });
  });

  it('has no producer outside the layout (a file written by `tsfx infer-schema --out`)', () => {
    assert.deepEqual(locateArtifactFile('schema.json')?.artifact, {
      id: null,
      type: 'Schema',
      uri: '',
      producer: null,
    });
    assert.equal(locateArtifactFile('out/schema.json')?.artifact.producer, null);
    // Not an execution id under the output key.
    assert.equal(
      locateArtifactFile('a/SchemaGen/schema/latest/schema.json')?.artifact.producer,
      null,
    );
    const loose = locateArtifactFile('stats/FeatureStats.json');
    assert.equal(loose?.split, null);
    assert.equal(loose?.artifact.uri, 'stats');
    assert.equal(locateArtifactFile('other.json'), null);
  });

  it("lists the artifact's split files: the opened split first, then the others by name", () => {
    const location = locateArtifactFile(
      'p/StatisticsGen/statistics/3/Split-train/FeatureStats.json',
    )!;
    assert.deepEqual(
      splitFiles(location, ['Split-train', 'Split-zeta', 'notes.txt', 'Split-', 'Split-eval']),
      [
        { split: 'train', path: 'p/StatisticsGen/statistics/3/Split-train/FeatureStats.json' },
        { split: 'eval', path: 'p/StatisticsGen/statistics/3/Split-eval/FeatureStats.json' },
        { split: 'zeta', path: 'p/StatisticsGen/statistics/3/Split-zeta/FeatureStats.json' },
      ],
    );
  });
});
