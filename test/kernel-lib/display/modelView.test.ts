// The static fallbacks (HTML and text) of the model, transform graph and run comparison views,
// drawn from the payloads of the taxi run the extension's renderers are tested on
// (test/extension/fixtures, written by `npm run fixtures`), against golden files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  compareTrainingRuns,
  formatMemorySize,
  formatShape,
  type ModelPayload,
  type TrainingPayload,
  type TransformGraphPayload,
} from '@tsfx/protocol';
import { modelHtml, modelText } from '../../../kernel-lib/src/display/modelView';
import {
  trainingComparisonHtml,
  trainingComparisonText,
} from '../../../kernel-lib/src/display/trainingComparisonView';
import {
  transformGraphHtml,
  transformGraphText,
} from '../../../kernel-lib/src/display/transformGraphView';
import { assertGoldenViews, assertSelfContained } from './golden';

const EXTENSION_FIXTURES = join(__dirname, '..', '..', 'extension', 'fixtures');
const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(EXTENSION_FIXTURES, name), 'utf8')) as T;

describe('model, transform graph and comparison fallbacks: golden files', () => {
  it('renders the taxi model', () => {
    const payload = fixture<ModelPayload>('model.json');
    const html = modelHtml(payload);
    assertSelfContained(html);
    assertGoldenViews('model-taxi', html, modelText(payload));
  });

  it('renders the taxi transform graph', () => {
    const payload = fixture<TransformGraphPayload>('transform-graph.json');
    const html = transformGraphHtml(payload);
    assertSelfContained(html);
    assertGoldenViews('transform-graph-taxi', html, transformGraphText(payload));
  });

  it('renders two taxi runs compared', () => {
    const run = fixture<TrainingPayload>('training.json');
    const payload = compareTrainingRuns([
      { name: 'Trainer #5', payload: run },
      { name: 'Trainer #9', payload: run },
    ]);
    const html = trainingComparisonHtml(payload);
    assertSelfContained(html);
    assertGoldenViews('training-comparison-taxi', html, trainingComparisonText(payload));
  });
});

describe("Keras' formats", () => {
  it('prints shapes as Keras does', () => {
    assert.equal(formatShape([null, 8]), '(None, 8)');
    assert.equal(formatShape([null]), '(None,)');
    assert.equal(formatShape(null), '?');
  });

  it("prints sizes as Keras' readable_memory_size", () => {
    // Python: "{:.2f} {}".format(size, unit) after dividing by 1024 while size / 1024 >= 1.
    assert.equal(formatMemorySize(660), '660.00 B');
    assert.equal(formatMemorySize(1023), '1023.00 B');
    assert.equal(formatMemorySize(1024), '1.00 KB');
    assert.equal(formatMemorySize(834_000), '814.45 KB');
    assert.equal(formatMemorySize(5 * 1024 ** 2), '5.00 MB');
  });
});
