/// <reference lib="dom" />
// The training view's model: the smoothing weight, the x axis, the hidden runs and the hover
// positions, and that each output (host element) keeps its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../dom-globals';
import {
  DEFAULT_SMOOTHING,
  TrainingModel,
} from '../../../../extension/src/renderers/training/model';
import { trainingModel } from '../../../../extension/src/renderers/training/view';
import { newHost } from './helpers';

test('training model: starts smoothed by 0.6, by step, every run shown', () => {
  const model = new TrainingModel();
  assert.equal(DEFAULT_SMOOTHING, 0.6);
  assert.equal(model.smoothing, 0.6);
  assert.equal(model.xAxis, 'step');
  assert.equal(model.isHidden('train'), false);
  assert.equal(model.hoverAt('loss'), undefined);
  assert.equal(model.focus, null);
});

test('training model: the smoothing weight is clamped to [0, 0.999]; not a number is ignored', () => {
  const model = new TrainingModel();
  assert.equal(model.setSmoothing(0.9), true);
  assert.equal(model.smoothing, 0.9);
  assert.equal(model.setSmoothing(1), true);
  assert.equal(model.smoothing, 0.999);
  assert.equal(model.setSmoothing(-0.5), true);
  assert.equal(model.smoothing, 0);
  model.setSmoothing(0.25);
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.equal(model.setSmoothing(bad), false, String(bad));
    assert.equal(model.smoothing, 0.25);
  }
});

test('training model: changing the x axis drops the hover positions', () => {
  const model = new TrainingModel();
  model.setHover('loss', 200);
  model.setHover('auc', 120);
  assert.equal(model.hoverAt('loss'), 200);
  model.clearHover('auc');
  assert.equal(model.hoverAt('auc'), undefined);
  assert.equal(model.hoverAt('loss'), 200, 'one chart at a time');
  model.setXAxis('relative');
  assert.equal(model.xAxis, 'relative');
  assert.equal(model.hoverAt('loss'), undefined);
  model.setXAxis('wall');
  assert.equal(model.xAxis, 'wall');
});

test('training model: runs are hidden and shown one by one', () => {
  const model = new TrainingModel();
  model.toggleRun('validation');
  assert.equal(model.isHidden('validation'), true);
  assert.equal(model.isHidden('train'), false);
  model.toggleRun('train');
  model.toggleRun('validation');
  assert.equal(model.isHidden('validation'), false);
  assert.equal(model.isHidden('train'), true);
});

test('training model: one per output, kept across its redraws', () => {
  const host = newHost();
  const model = trainingModel(host);
  model.setSmoothing(0.85);
  assert.equal(trainingModel(host), model);
  assert.equal(trainingModel(host).smoothing, 0.85);
  const other = trainingModel(newHost());
  assert.notEqual(other, model);
  assert.equal(other.smoothing, DEFAULT_SMOOTHING);
});
