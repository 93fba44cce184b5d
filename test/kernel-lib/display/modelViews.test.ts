// The model, transform graph and run comparison views on a real Transform and Trainer output (a
// small module file, smallModelModule.ts, on the taxi data): the payloads against values
// computed by DuckDB or counted by hand as Keras counts them, and their fallbacks.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parsePayload, type ModelPayload, type TransformGraphPayload } from '@tsfx/protocol';
import { Trainer } from '../../../kernel-lib/src/components/Trainer';
import { Transform } from '../../../kernel-lib/src/components/Transform';
import { modelHtml, modelPayload, modelText } from '../../../kernel-lib/src/display/modelView';
import {
  trainingComparisonHtml,
  trainingComparisonPayload,
  trainingComparisonText,
} from '../../../kernel-lib/src/display/trainingComparisonView';
import {
  transformGraphHtml,
  transformGraphPayload,
  transformGraphText,
} from '../../../kernel-lib/src/display/transformGraphView';
import { InteractiveContext } from '../../../kernel-lib/src/interactive/InteractiveContext';
import type { ArtifactRecord } from '../../../kernel-lib/src/metadata/types';
import type { Channel } from '../../../kernel-lib/src/pipeline/Channel';
import { duckdbRows, TAXI_CSV, tempDir } from '../../helpers';
import { runTaxiChain, type TaxiChain } from '../taxiChain';

const MODULE = join(__dirname, 'smallModelModule.ts');
const only = (channel: Channel): ArtifactRecord => channel.artifacts[0]!;

describe('model, transform graph and run comparison views of a real pipeline', () => {
  const root = tempDir('tsfx-model-views-');
  let chain: TaxiChain;
  let graph: ArtifactRecord;
  let model: ArtifactRecord;
  let modelRuns: ArtifactRecord[];
  let trainSplit: string;

  before(async () => {
    chain = await runTaxiChain(root, TAXI_CSV);
    const transform = new Transform({
      examples: chain.exampleGen.outputs.examples,
      schema: chain.schemaGen.outputs.schema,
      moduleFile: MODULE,
    });
    await chain.run(transform);
    const trainer = (id: string, learningRate: number) =>
      new Trainer({
        examples: transform.outputs.transformed_examples,
        transformGraph: transform.outputs.transform_graph,
        schema: chain.schemaGen.outputs.schema,
        moduleFile: MODULE,
        trainArgs: { numSteps: 12 },
        backend: 'cpu',
        hyperparameters: { learningRate },
      }).withId(id);
    const a = trainer('trainer_a', 0.01);
    const b = trainer('trainer_b', 0.05);
    await chain.run(a);
    await chain.run(b);
    graph = only(transform.outputs.transform_graph);
    model = only(a.outputs.model);
    modelRuns = [only(a.outputs.model_run), only(b.outputs.model_run)];
    trainSplit = join(only(chain.exampleGen.outputs.examples).uri, 'Split-train', 'data.parquet');
  });

  after(() => {
    chain?.store.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('model', () => {
    let payload: ModelPayload;
    before(() => {
      payload = parsePayload('model', modelPayload(model, 'trainer_a'));
    });

    it('lists the layers with the output shapes and parameter counts Keras would print', () => {
      // Counted by hand as Keras counts: Embedding input_dim × output_dim (28 ids: 3 payment
      // tokens + 1 OOV bucket, 24 hours), Dense inputs × units + units (bias).
      const expected: Record<string, [string, string, number, number]> = {
        dense: ['InputLayer', '(None, 2)', 0, 0],
        categorical: ['InputLayer', '(None, 2)', 0, 0],
        emb: ['Embedding', '(None, 2, 3)', 28 * 3, 28 * 3],
        emb_flat: ['Flatten', '(None, 6)', 0, 0],
        concat: ['Concatenate', '(None, 8)', 0, 0],
        hidden: ['Dense', '(None, 5)', 8 * 5 + 5, 8 * 5 + 5],
        deep_logit: ['Dense', '(None, 1)', 5 + 1, 5 + 1],
        wide: ['Embedding', '(None, 2, 1)', 28, 28],
        wide_flat: ['Flatten', '(None, 2)', 0, 0],
        wide_sum: ['Dense', '(None, 1)', 2, 0],
        logit: ['Add', '(None, 1)', 0, 0],
        probability: ['Activation', '(None, 1)', 0, 0],
      };
      const shape = (s: (number | null)[] | null) =>
        s === null ? '?' : `(${s.map((d) => (d === null ? 'None' : d)).join(', ')})`;
      assert.deepEqual(
        Object.fromEntries(
          payload.layers.map((l) => [
            l.name,
            [l.className, shape(l.outputShape), l.params, l.trainableParams],
          ]),
        ),
        expected,
      );
      // In the model's order: every layer after the layers it reads.
      const seen = new Set<string>();
      for (const layer of payload.layers) {
        for (const inbound of layer.inbound)
          assert.ok(seen.has(inbound), `${layer.name} reads ${inbound}`);
        seen.add(layer.name);
      }
      assert.deepEqual(payload.layers.find((l) => l.name === 'concat')?.inbound, [
        'dense',
        'emb_flat',
      ]);
      assert.deepEqual(payload.inputLayers, ['dense', 'categorical']);
      assert.deepEqual(payload.outputLayers, ['probability']);
    });

    it("totals the parameters as Keras' summary does", () => {
      assert.deepEqual(payload.params, {
        total: 84 + 45 + 6 + 28 + 2,
        trainable: 84 + 45 + 6 + 28,
        nonTrainable: 2,
        totalBytes: 165 * 4,
        trainableBytes: 163 * 4,
        nonTrainableBytes: 8,
      });
      const text = modelText(payload);
      assert.match(text, /^Total params: 165 \(660\.00 B\)$/m);
      assert.match(text, /^Trainable params: 163 \(652\.00 B\)$/m);
      assert.match(text, /^Non-trainable params: 2 \(8\.00 B\)$/m);
    });

    it('gives the serving signature: the raw features read with their types, probability out', () => {
      // In the CSV's column order; the label (tips) and trip_seconds are not read by the model.
      assert.deepEqual(payload.inputs, [
        { name: 'fare', type: 'FLOAT', dtype: 'DT_FLOAT' },
        { name: 'trip_start_hour', type: 'INT', dtype: 'DT_INT64' },
        { name: 'trip_miles', type: 'FLOAT', dtype: 'DT_FLOAT' },
        { name: 'payment_type', type: 'STRING', dtype: 'DT_STRING' },
      ]);
      const predict = payload.signatures.find((s) => s.name === 'serving_default');
      assert.deepEqual(predict?.outputs, [{ name: 'probability', dtype: 'DT_FLOAT', shape: [] }]);
    });

    it('lists every file with its size on disk', () => {
      const files = Object.fromEntries(payload.files.map((f) => [f.path, f.bytes]));
      // 165 float32 weights.
      assert.equal(files['Format-Serving/weights.bin'], 660);
      for (const path of [
        'Format-Serving/model.json',
        'Format-Serving/serving.json',
        'Format-Serving/transform_graph/transform_graph.json',
      ]) {
        assert.equal(files[path], statSync(join(model.uri, path)).size, path);
      }
      assert.ok(modelHtml(payload).includes('Format-Serving/weights.bin'));
    });
  });

  describe('transform graph', () => {
    let payload: TransformGraphPayload;
    before(() => {
      payload = parsePayload('transformGraph', transformGraphPayload(graph, 'Transform'));
    });

    it('gives the z-score analyzer means and standard deviations DuckDB computes', async () => {
      const [row] = await duckdbRows(
        `SELECT avg(coalesce(fare, 0)) AS fm, stddev_pop(coalesce(fare, 0)) AS fs,
                avg(coalesce(trip_miles, 0)) AS mm, stddev_pop(coalesce(trip_miles, 0)) AS ms
         FROM '${trainSplit}'`,
      );
      const zscore = (output: string) => {
        const node = payload.nodes.find((n) => n.outputs.includes(output))!;
        assert.equal(node.op, 'scaleToZScore');
        assert.equal(node.analyzer, 'mean_and_var');
        return Object.fromEntries(node.params.map((p) => [p.name, p.value as number]));
      };
      const fare = zscore('fare_xf');
      const miles = zscore('miles_xf');
      assert.ok(Math.abs(fare.mean! - Number(row!.fm)) < 1e-9, `${fare.mean} vs ${row!.fm}`);
      assert.ok(Math.abs(fare.std! - Number(row!.fs)) < 1e-9);
      assert.ok(Math.abs(miles.mean! - Number(row!.mm)) < 1e-9);
      assert.ok(Math.abs(miles.std! - Number(row!.ms)) < 1e-9);
    });

    it("gives the vocabulary's size and top tokens by DuckDB's counts", async () => {
      const rows = await duckdbRows(
        `SELECT coalesce(payment_type, '') AS t, count(*) AS n FROM '${trainSplit}'
         GROUP BY t ORDER BY n DESC LIMIT 3`,
      );
      const node = payload.nodes.find((n) => n.outputs.includes('payment_xf'))!;
      assert.equal(node.op, 'vocabulary');
      assert.equal(node.vocabulary?.size, 3);
      assert.deepEqual(
        node.vocabulary?.top,
        rows.map((r) => r.t),
      );
      assert.equal(node.numValues, 4, '3 tokens and 1 OOV bucket');
    });

    it('gives the quantile boundaries as transform_graph.json holds them, nodes in order', () => {
      const file = JSON.parse(readFileSync(join(graph.uri, 'transform_graph.json'), 'utf8')) as {
        nodes: { op: string; boundaries?: number[] }[];
      };
      const node = payload.nodes.find((n) => n.outputs.includes('seconds_bucket_xf'))!;
      assert.equal(node.op, 'applyBuckets');
      assert.equal(node.analyzer, 'quantiles');
      assert.deepEqual(
        node.params.find((p) => p.name === 'boundaries')?.value,
        file.nodes[node.index]!.boundaries,
      );
      assert.equal((node.params[0]!.value as number[]).length, 3, '4 buckets: 3 boundaries');
      assert.deepEqual(
        payload.nodes.map((n) => n.op),
        file.nodes.map((n) =>
          n.op === 'unary' || n.op === 'binary' ? (n as { fn?: string }).fn : n.op,
        ),
      );
      assert.deepEqual(
        payload.nodes.map((n) => n.index),
        file.nodes.map((_, i) => i),
      );
      assert.equal(payload.analyzedRows, 10_000);
      assert.match(transformGraphText(payload), /scaleToZScore/);
      assert.match(transformGraphHtml(payload), /quantiles/);
    });
  });

  describe('run comparison', () => {
    it('overlays the two model runs, their runs named after them', () => {
      const payload = parsePayload(
        'training',
        trainingComparisonPayload(
          modelRuns.map((artifact, i) => ({ artifact, producer: ['trainer_a', 'trainer_b'][i]! })),
        ),
      );
      const [a, b] = modelRuns.map((r) => r.id);
      assert.deepEqual(
        payload.modelRuns?.map((m) => m.name),
        [`trainer_a #${a}`, `trainer_b #${b}`],
      );
      assert.deepEqual(
        payload.runs.map((r) => r.name),
        [`trainer_a #${a}`, `trainer_b #${b}`].flatMap((m) =>
          ['train', 'train_epoch', 'validation'].map((r) => `${m}/${r}`),
        ),
      );
      assert.ok(payload.modelRuns?.every((m) => m.status === 'done' && m.progress.step === 12));
      assert.match(trainingComparisonText(payload), new RegExp(`trainer_b #${b}\\s+done\\s+12/12`));
      assert.equal(trainingComparisonHtml(payload).match(/<svg /g)?.length, 3);
    });

    it('is what InteractiveContext.show() displays for a list of ModelRuns', async () => {
      const context = new InteractiveContext({ pipelineName: 'p', pipelineRoot: root });
      const lines: string[] = [];
      const log = console.log;
      console.log = (line: string) => lines.push(line);
      try {
        await context.show(modelRuns);
        await context.show([model.id]);
      } finally {
        console.log = log;
        context.close();
      }
      assert.match(lines[0]!, /^Training runs compared \(2\)/);
      assert.match(lines[1]!, /^Model: "small_wide_and_deep" \(Functional\)/);
    });
  });
});
