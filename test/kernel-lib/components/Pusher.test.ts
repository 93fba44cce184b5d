import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Pusher } from '../../../kernel-lib/src/components/Pusher';
import type { ArtifactRecord } from '../../../kernel-lib/src/metadata/types';
import {
  recoverInterruptedExecutions,
  runComponent,
} from '../../../kernel-lib/src/orchestration/runComponent';
import type { Component, ParameterValue } from '../../../kernel-lib/src/pipeline/Component';
import { PUSH_TEMP_PREFIX, pushToFilesystem } from '../../../kernel-lib/src/serving/push';
import { listVersions } from '../../../kernel-lib/src/serving/versions';
import { servingDir } from '../../../kernel-lib/src/trainer/servingBundle';
import { runCli, tempDir } from '../../helpers';
import { HandEvaluator } from '../serving/handEvaluator';
import { trainTaxiModels } from '../serving/taxiModels';

const CHILD = join(__dirname, 'pushChild.ts');

/** Every file under `dir` with the sha256 of its bytes, by relative path. */
function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('Pusher', async () => {
  const root = tempDir();
  const { chain, trainers, evalCsv } = await trainTaxiModels(root, [8]);
  const modelChannel = trainers[0].outputs.model;
  const model = modelChannel.artifacts[0];
  const bundle = servingDir(model.uri);
  const bundleFiles = treeDigest(bundle);
  const target = { pipelineName: 'p', pipelineRoot: root, runId: 'r' };
  const run = (component: Component, lines: string[] = []) =>
    runComponent(chain.store, target, component, {
      enableCache: false,
      reporter: { log: (m) => lines.push(m), progress() {}, end() {} },
    });

  // Each blessing comes from its own evaluator id: inputs are resolved from the store by producer,
  // so a Pusher reading one evaluator's blessing gets that one, not the newest of them all.
  let evaluators = 0;
  async function bless(options: ConstructorParameters<typeof HandEvaluator>[1]) {
    const evaluator = new HandEvaluator(modelChannel, options).withId(
      `HandEvaluator${++evaluators}`,
    );
    await run(evaluator);
    return evaluator;
  }

  async function push(
    evaluator: HandEvaluator,
    baseDirectory: string,
  ): Promise<{ pushed: ArtifactRecord; lines: string[] }> {
    const lines: string[] = [];
    const pusher = new Pusher({
      model: modelChannel,
      modelBlessing: evaluator.outputs.blessing,
      pushDestination: { filesystem: { baseDirectory } },
    });
    const result = await run(pusher, lines);
    return { pushed: result.outputs.pushed_model[0], lines };
  }

  const blessed = await bless({ blessed: true });

  it('pushes a blessed model to <base>/<unix seconds>/, whole, which tsfx predict scores as the model', async () => {
    const base = join(root, 'serving-blessed');
    const before = Math.floor(Date.now() / 1000);
    const { pushed, lines } = await push(blessed, base);
    const after = Math.floor(Date.now() / 1000);
    assert.equal(pushed.state, 'LIVE');
    assert.equal(pushed.properties.pushed, 1);
    const version = Number(pushed.properties.pushed_version);
    assert.ok(version >= before && version <= after, `version ${version} is the push's unix time`);
    assert.equal(pushed.properties.pushed_destination, join(base, String(version)));
    assert.deepEqual(readdirSync(base), [String(version)]);
    assert.deepEqual(treeDigest(join(base, String(version))), bundleFiles);
    assert.deepEqual(treeDigest(pushed.uri), bundleFiles, 'the PushedModel keeps a copy, as TFX');
    assert.equal((statSync(join(base, String(version))).mode & 0o777).toString(8), '755');
    assert.match(
      lines.at(-1)!,
      new RegExp(`pushed model ${model.id} to .* \\(version ${version}\\)`),
    );

    const fromModel = runCli(['predict', '--model', model.uri, evalCsv]);
    const fromPushed = runCli(['predict', '--model', join(base, String(version)), evalCsv]);
    assert.equal(fromModel.status, 0, fromModel.stderr);
    assert.equal(fromPushed.status, 0, fromPushed.stderr);
    assert.ok(fromModel.stdout.split('\n').length > 4000);
    assert.equal(fromPushed.stdout, fromModel.stdout);
  });

  it('gives every push a higher version: two in one second, a clock set back, pushes racing', async () => {
    const base = join(root, 'serving-versions');
    const t = 1_800_000_000_400;
    const first = await pushToFilesystem(bundle, base, { now: () => t });
    const sameSecond = await pushToFilesystem(bundle, base, { now: () => t + 300 });
    const clockBack = await pushToFilesystem(bundle, base, { now: () => t - 3_600_000 });
    assert.deepEqual(
      [first.version, sameSecond.version, clockBack.version],
      [1_800_000_000, 1_800_000_001, 1_800_000_002],
    );
    const racing = await Promise.all(
      Array.from({ length: 4 }, () => pushToFilesystem(bundle, base, { now: () => t })),
    );
    assert.deepEqual(
      racing.map((r) => r.version).sort(),
      [1_800_000_003, 1_800_000_004, 1_800_000_005, 1_800_000_006],
    );
    assert.deepEqual(readdirSync(base).sort(), listVersions(base).map(String));
    for (const version of listVersions(base)) {
      assert.deepEqual(treeDigest(join(base, String(version))), bundleFiles);
    }
    // And through the component, back to back.
    const a = await push(blessed, join(root, 'serving-twice'));
    const b = await push(blessed, join(root, 'serving-twice'));
    assert.ok(
      Number(b.pushed.properties.pushed_version) > Number(a.pushed.properties.pushed_version),
    );
  });

  it('does not push a model that is not blessed, and says in one line which thresholds failed', async () => {
    const validations: ParameterValue = {
      validation_ok: false,
      metric_validations_per_slice: [
        {
          slice_key: {},
          failures: [
            {
              metric_key: { name: 'auc' },
              metric_threshold: { value_threshold: { lower_bound: 0.7 } },
              metric_value: { double_value: 0.61 },
            },
          ],
        },
        {
          slice_key: { single_slice_keys: [{ column: 'trip_start_hour', int64_value: '3' }] },
          failures: [
            {
              metric_key: { name: 'binary_accuracy' },
              metric_threshold: {
                change_threshold: { direction: 'HIGHER_IS_BETTER', absolute: -0.01 },
              },
              metric_value: { double_value: 0.52 },
            },
          ],
        },
      ],
    };
    const evaluator = await bless({ blessed: false, validations });
    const base = join(root, 'serving-unblessed');
    const { pushed, lines } = await push(evaluator, base);
    const blessing = evaluator.outputs.blessing.artifacts[0];
    assert.deepEqual(lines, [
      `Pusher: not pushed: model ${model.id} was not blessed (blessing ${blessing.id}): ` +
        'Overall: auc = 0.61 (lower bound 0.7); ' +
        'trip_start_hour:3: binary_accuracy = 0.52 (change vs baseline absolute -0.01 HIGHER_IS_BETTER)',
    ]);
    assert.equal(pushed.state, 'LIVE');
    assert.deepEqual(pushed.properties, {
      pushed: 0,
      pushed_destination: null,
      pushed_version: null,
    });
    assert.equal(existsSync(base), false, 'nothing is written to the serving folder');
    assert.deepEqual(readdirSync(pushed.uri), []);

    // proto3 JSON's other spelling (lowerCamelCase, bytes in base64), as TFMA's writer uses it.
    const camel = await bless({
      blessed: false,
      validations: {
        validationOk: false,
        metricValidationsPerSlice: [
          {
            sliceKey: {
              singleSliceKeys: [
                { column: 'payment_type', bytesValue: Buffer.from('Cash').toString('base64') },
              ],
            },
            failures: [
              {
                metricKey: { name: 'auc' },
                metricThreshold: { valueThreshold: { upperBound: 0.5 } },
                metricValue: { doubleValue: 0.6 },
              },
            ],
          },
        ],
      },
    });
    const second = await push(camel, base);
    assert.equal(second.lines.length, 1);
    assert.match(
      second.lines[0],
      /not blessed \(blessing \d+\): payment_type:Cash: auc = 0\.6 \(upper bound 0\.5\)$/,
    );

    // No evaluation to read: the blessing's own description, else a plain statement.
    const described = await push(await bless({ blessed: false, failures: 'auc 0.61 < 0.7' }), base);
    assert.match(described.lines[0], /not blessed \(blessing \d+\): auc 0\.61 < 0\.7$/);
    const bare = await push(await bless({ blessed: false }), base);
    assert.match(bare.lines[0], /not blessed \(blessing \d+\): no failed threshold recorded/);
    assert.equal(existsSync(base), false);
  });

  it('does not push with a blessing of another model, or one that contradicts itself', async () => {
    const base = join(root, 'serving-refused');
    const other = await push(await bless({ blessed: true, judgedModelId: model.id + 1000 }), base);
    assert.equal(other.pushed.properties.pushed, 0);
    assert.match(
      other.lines[0],
      new RegExp(`is for model ${model.id + 1000}, not for model ${model.id}$`),
    );
    const contradicting = await push(
      await bless({ blessed: true, markerFile: 'NOT_BLESSED' }),
      base,
    );
    assert.equal(contradicting.pushed.properties.pushed, 0);
    assert.match(
      contradicting.lines[0],
      /contradicts itself \(blessed = 1, no BLESSED file, NOT_BLESSED file\)/,
    );
    const noFile = await push(await bless({ blessed: true, markerFile: 'none' }), base);
    assert.equal(noFile.pushed.properties.pushed, 0);
    assert.equal(existsSync(base), false);
  });

  describe('killed with SIGKILL mid-push', () => {
    const files = Object.keys(bundleFiles).length;
    const blessingId = blessed.outputs.blessing.artifacts[0].id;
    const livePushes = () =>
      chain.store.getArtifacts({ type: 'PushedModel', state: 'LIVE' }).length;

    async function killAt(stopAt: string, base: string): Promise<void> {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CHILD, root, String(model.id), String(blessingId), base, stopAt],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          if (output.includes('READY')) resolve();
        });
        child.once('exit', (code) =>
          reject(new Error(`child exited (${code}) before READY: ${output}`)),
        );
      });
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }

    const cases: { when: string; stopAt: string; versionLeft: boolean }[] = [
      // The archive copy takes the first `files` copies; then the copy into the serving folder.
      {
        when: 'while copying into the serving folder',
        stopAt: `copyFile:${files + 3}`,
        versionLeft: false,
      },
      { when: 'with the copy done, before the rename', stopAt: 'rename:1', versionLeft: false },
      {
        when: 'after the rename, before the execution is recorded',
        stopAt: 'log:pushed model',
        versionLeft: true,
      },
    ];
    for (const [i, { when, stopAt, versionLeft }] of cases.entries()) {
      it(`${when}: no partial version, no LIVE PushedModel`, async () => {
        const base = join(root, `serving-killed-${i}`);
        const liveBefore = livePushes();
        await killAt(stopAt, base);
        const leftovers = readdirSync(base).filter((name) => !/^\d+$/.test(name));
        if (versionLeft) {
          // The version was whole before the kill: served, but not recorded as pushed.
          assert.equal(listVersions(base).length, 1);
          assert.deepEqual(treeDigest(join(base, String(listVersions(base)[0]))), bundleFiles);
          assert.deepEqual(leftovers, []);
        } else {
          assert.deepEqual(listVersions(base), [], 'a server finds no version');
          assert.equal(leftovers.length, 1);
          assert.ok(leftovers[0].startsWith(PUSH_TEMP_PREFIX), leftovers[0]);
          const copied = Object.keys(treeDigest(join(base, leftovers[0]))).length;
          if (stopAt.startsWith('copyFile'))
            assert.ok(copied > 0 && copied < files, `${copied} of ${files}`);
          else assert.equal(copied, files);
        }
        const killed = chain.store.getExecutions({ componentId: 'Pusher', state: 'RUNNING' });
        assert.equal(killed.length, 1, 'the killed push could record nothing more');
        assert.equal(await recoverInterruptedExecutions(chain.store), 1);
        assert.equal(chain.store.getExecution(killed[0].id)!.state, 'FAILED');
        assert.equal(livePushes(), liveBefore, 'no LIVE PushedModel');
        assert.ok(!existsSync(join(root, '.staging', String(killed[0].id))));
      });
    }

    it('a later push ignores a fresh leftover and removes a stale one', async () => {
      const base = join(root, 'serving-killed-0');
      const [leftover] = readdirSync(base).filter((n) => n.startsWith(PUSH_TEMP_PREFIX));
      const next = await push(blessed, base);
      assert.equal(next.pushed.properties.pushed, 1);
      assert.ok(existsSync(join(base, leftover)), 'a push may still be writing a fresh one');
      // A version clock far ahead (a test's, a skewed one) does not make a live push look stale.
      await pushToFilesystem(bundle, base, { now: () => Date.now() + 3_600_000 });
      assert.ok(existsSync(join(base, leftover)), 'liveness is judged by the wall clock');
      const old = new Date(Date.now() - 120_000);
      utimesSync(join(base, leftover), old, old);
      const again = await push(blessed, base);
      assert.ok(!existsSync(join(base, leftover)));
      assert.ok(again.lines.some((l) => l.includes('left by a push that did not finish')));
      assert.deepEqual(readdirSync(base).sort(), listVersions(base).map(String));
    });
  });
});
