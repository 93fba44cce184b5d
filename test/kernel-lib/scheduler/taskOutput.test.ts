import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir, writeFile } from '../../helpers';

const TASK_PROCESS = join(REPO_ROOT, 'kernel-lib', 'src', 'scheduler', 'taskProcess.ts');
const TASK_LOG = join(REPO_ROOT, 'kernel-lib', 'src', 'scheduler', 'taskLog.ts');

/**
 * Runs `body` in a fresh Node process (stdout and stderr pipes, as a task process's) after
 * `trackStdioCreation()`, with `capture(label, print)` capturing into `<dir>/<label>.log`. Node's
 * own getters of process.stdout/stderr are wrapped first, counting the streams asked for.
 */
function inTaskProcess(body: string): { dir: string; stdout: string; stderr: string } {
  const dir = tempDir();
  const script = writeFile(
    dir,
    'script.ts',
    `
import { captureOutput, trackStdioCreation } from ${JSON.stringify(TASK_PROCESS)};
import { openTaskLog } from ${JSON.stringify(TASK_LOG)};
const asked: string[] = [];
for (const name of ['stdout', 'stderr'] as const) {
  const node = Object.getOwnPropertyDescriptor(process, name)!;
  Object.defineProperty(process, name, { ...node, get() { asked.push(name); return node.get!.call(process); } });
}
trackStdioCreation();
function capture(label: string, print: () => void): void {
  const log = openTaskLog(${JSON.stringify(dir)} + '/' + label + '.log');
  const restore = captureOutput(log);
  try { print(); } finally { restore(); log.close(); }
}
const report = (text: string) => process._rawDebug(text);
${body}
`,
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return { dir, stdout: run.stdout, stderr: run.stderr };
}

const logLines = (dir: string, label: string): string[] =>
  readFileSync(join(dir, `${label}.log`), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\[[^\]]+\] /, ''));

describe("a task process's output", () => {
  it('goes to the log; stdout and stderr are not created for a task that prints nothing', () => {
    const { dir, stdout, stderr } = inTaskProcess(`
capture('silent', () => {});
report('asked after a silent task: ' + asked.join(','));
capture('prints', () => {
  console.log('from console.log');
  process.stdout.write('from stdout\\n');
  console.error('from console.error');
});
console.log('after the task');
process.stderr.write('after, to stderr\\n');
`);
    assert.match(stderr, /^asked after a silent task: $/m);
    assert.equal(readFileSync(join(dir, 'silent.log'), 'utf8'), '');
    assert.deepEqual(logLines(dir, 'prints'), [
      'OUTPUT - from console.log',
      'OUTPUT - from stdout',
      'OUTPUT - from console.error',
    ]);
    assert.equal(stdout, 'after the task\n');
    assert.match(stderr, /^after, to stderr$/m);
  });

  it('goes to the log when the streams were created (and console bound) before the task', () => {
    const { dir, stdout } = inTaskProcess(`
console.log('before the task');
console.error('before, to stderr');
capture('prints', () => {
  console.log('from console.log');
  console.error('from console.error');
});
console.log('after the task');
`);
    assert.deepEqual(logLines(dir, 'prints'), [
      'OUTPUT - from console.log',
      'OUTPUT - from console.error',
    ]);
    assert.equal(stdout, 'before the task\nafter the task\n');
  });
});
