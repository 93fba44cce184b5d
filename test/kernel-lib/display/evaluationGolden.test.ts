// The static fallbacks (text/html, text/plain) of the model analysis views, on the taxi run's
// payloads (test/extension/fixtures/, from the kernel: `npm run fixtures`), against golden files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type {
  BlessingPayload,
  EvaluationHistoryPayload,
  EvaluationPayload,
  PushedModelPayload,
} from '@tsfx/protocol';
import {
  blessingHtml,
  blessingText,
  pushedModelHtml,
  pushedModelText,
} from '../../../kernel-lib/src/display/blessingView';
import {
  evaluationHistoryHtml,
  evaluationHistoryText,
} from '../../../kernel-lib/src/display/evaluationHistoryView';
import { evaluationHtml, evaluationText } from '../../../kernel-lib/src/display/evaluationView';
import { REPO_ROOT } from '../../helpers';
import { assertGoldenViews, assertSelfContained } from './golden';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'extension', 'fixtures', name), 'utf8')) as T;

describe('model analysis views (static HTML and text)', () => {
  it('evaluation of the taxi model against its baseline', () => {
    const p = fixture<EvaluationPayload>('evaluation.json');
    assertSelfContained(evaluationHtml(p));
    assertGoldenViews('evaluation-taxi', evaluationHtml(p), evaluationText(p));
  });

  it('evaluation history of the taxi pipeline', () => {
    const p = fixture<EvaluationHistoryPayload>('evaluation-history.json');
    assertSelfContained(evaluationHistoryHtml(p));
    assertGoldenViews(
      'evaluation-history-taxi',
      evaluationHistoryHtml(p),
      evaluationHistoryText(p),
    );
  });

  it('blessing and pushed model', () => {
    const b = fixture<BlessingPayload>('blessing.json');
    const pushed = fixture<PushedModelPayload>('pushed-model.json');
    assertGoldenViews('blessing-taxi', blessingHtml(b), blessingText(b));
    assertGoldenViews('pushed-model-taxi', pushedModelHtml(pushed), pushedModelText(pushed));
  });
});
