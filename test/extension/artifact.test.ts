/// <reference lib="dom" />
// The artifact line every view shows: a URI cut in the middle (its last segments kept whole),
// the whole URI on hover, and a button that copies it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './dom-globals';
import { artifactLine } from '../../extension/src/artifact';
import { newDocument } from './render-helpers';

const uri = '/home/user/project/.tsfx/pipelines/taxi/StatisticsGen/statistics/12';

test('artifact line: the URI keeps its component, output and id whole, shows all on hover', () => {
  const { document } = newDocument();
  const line = artifactLine(document, {
    id: 12,
    type: 'ExampleStatistics',
    uri,
    producer: 'StatisticsGen',
  });
  const code = line.querySelector('code.tsfx-artifact-uri')!;
  assert.equal(code.getAttribute('title'), uri);
  assert.equal(code.textContent, uri);
  assert.equal(
    code.querySelector('.tsfx-uri-head')?.textContent,
    '/home/user/project/.tsfx/pipelines/taxi/',
  );
  assert.equal(code.querySelector('.tsfx-uri-tail')?.textContent, 'StatisticsGen/statistics/12');
  const short = artifactLine(document, {
    id: null,
    type: 'Schema',
    uri: 'schema/3',
    producer: null,
  });
  assert.equal(short.querySelector('.tsfx-uri-head'), null);
  assert.equal(short.querySelector('.tsfx-uri-tail')?.textContent, 'schema/3');
});

test('artifact line: the copy button copies the whole URI', async () => {
  const { document, window } = newDocument();
  const copied: string[] = [];
  Object.defineProperty(window.navigator, 'clipboard', {
    value: { writeText: (text: string) => (copied.push(text), Promise.resolve()) },
  });
  const line = artifactLine(document, { id: 12, type: 'ExampleStatistics', uri, producer: null });
  const button = line.querySelector<HTMLButtonElement>('button.tsfx-copy')!;
  button.click();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(copied, [uri]);
  assert.equal(button.textContent, 'copied');
});
