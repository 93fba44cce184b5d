// tls/: a test CA and a certificate for 127.0.0.1 it signed (valid 100 years), made once with
// `openssl req -x509 -newkey ec …` and `openssl x509 -req … -extfile (subjectAltName=IP:127.0.0.1)`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, it } from 'node:test';
import {
  certificatesNotBundled,
  ORIGINAL_EXTRA_CA_CERTS,
  restoreExtraCaCerts,
  taskProcessEnv,
} from '../../../kernel-lib/src/scheduler/extraCaCerts';
import { startTaskProcess } from '../../../kernel-lib/src/scheduler/workerPool';
import type { WorkerMessage } from '../../../kernel-lib/src/scheduler/workerProtocol';
import { tempDir, writeFile } from '../../helpers';

const TLS = join(__dirname, 'tls');
const CA = readFileSync(join(TLS, 'ca.pem'), 'utf8');
const BUNDLED = rootCertificates.slice(0, 5);

/** A file as NODE_EXTRA_CA_CERTS often names: the system bundle, Node's roots and a private CA. */
function systemLikeBundle(dir: string): string {
  return writeFile(dir, 'bundle.crt', [BUNDLED[0], BUNDLED[1], CA, BUNDLED[2]].join('\n') + '\n');
}

describe('NODE_EXTRA_CA_CERTS for task processes', () => {
  it('keeps only the certificates Node does not bundle, and leaves other files to Node', () => {
    assert.deepEqual(certificatesNotBundled([BUNDLED[0], CA, BUNDLED[1]].join('\n')), [CA.trim()]);
    assert.deepEqual(certificatesNotBundled(BUNDLED.join('\n\n')), []);
    // A root wrapped differently is the same certificate.
    const rewrapped = BUNDLED[3].replace(/\n/g, '\r\n');
    assert.deepEqual(certificatesNotBundled(rewrapped), []);
    assert.equal(certificatesNotBundled(`# my proxy\n${CA}`), null);
    const broken = CA.replace(/[A-Za-z0-9]{20}\n/, 'AAAA\n');
    assert.equal(certificatesNotBundled(broken), null);
  });

  it('narrows the variable to a file of what is not bundled, and unsets it when nothing is left', () => {
    const dir = tempDir();
    const source = systemLikeBundle(dir);
    const env = taskProcessEnv(join(dir, 'narrowed'), {
      PATH: '/bin',
      NODE_EXTRA_CA_CERTS: source,
    });
    assert.equal(env[ORIGINAL_EXTRA_CA_CERTS], source);
    assert.equal(readFileSync(env.NODE_EXTRA_CA_CERTS!, 'utf8'), CA);
    assert.equal(env.PATH, '/bin');
    const onlyBundled = writeFile(dir, 'roots.crt', BUNDLED.join('\n'));
    const none = taskProcessEnv(join(dir, 'narrowed'), { NODE_EXTRA_CA_CERTS: onlyBundled });
    assert.equal(none.NODE_EXTRA_CA_CERTS, '');
    for (const kept of [{}, { NODE_EXTRA_CA_CERTS: join(dir, 'missing.crt') }]) {
      assert.equal(taskProcessEnv(join(dir, 'narrowed'), kept), kept);
    }
    // Another folder (another scheduler's), or the file removed meanwhile: written again.
    const elsewhere = taskProcessEnv(join(dir, 'other'), { NODE_EXTRA_CA_CERTS: source });
    assert.ok(elsewhere.NODE_EXTRA_CA_CERTS!.startsWith(join(dir, 'other')));
    rmSync(elsewhere.NODE_EXTRA_CA_CERTS!);
    const again = taskProcessEnv(join(dir, 'other'), { NODE_EXTRA_CA_CERTS: source });
    assert.equal(readFileSync(again.NODE_EXTRA_CA_CERTS!, 'utf8'), CA);
    const restored: NodeJS.ProcessEnv = { ...env };
    restoreExtraCaCerts(restored);
    assert.equal(restored.NODE_EXTRA_CA_CERTS, source);
    assert.equal(restored[ORIGINAL_EXTRA_CA_CERTS], undefined);
  });

  it('trusts the same: a process with the narrowed file reaches a server the private CA signed', async () => {
    const dir = tempDir();
    const source = systemLikeBundle(dir);
    const server = createServer(
      {
        cert: readFileSync(join(TLS, 'localhost.pem')),
        key: readFileSync(join(TLS, 'localhost-key.pem')),
      },
      (_request, response) => response.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const get = `require('https').get(${JSON.stringify(url)}, (r) => r.on('data', (d) => process.stdout.write(d))).on('error', (e) => { console.error(e.code); process.exit(3); })`;
      // Spawned asynchronously: the server answers from this process's event loop.
      const fetchWith = (env: NodeJS.ProcessEnv) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['-e', get], { env });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => resolve({ code, out, err }));
        });
      const narrowed = taskProcessEnv(join(dir, 'narrowed'), {
        ...process.env,
        NODE_EXTRA_CA_CERTS: source,
      });
      assert.notEqual(narrowed.NODE_EXTRA_CA_CERTS, source);
      assert.deepEqual(await fetchWith(narrowed), { code: 0, out: 'ok', err: '' });
      const without = await fetchWith({ ...process.env, NODE_EXTRA_CA_CERTS: '' });
      assert.equal(without.code, 3);
      assert.match(without.err, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    } finally {
      server.close();
    }
  });

  it("a task process puts the user's variable back for what it starts", async () => {
    const dir = tempDir();
    const source = systemLikeBundle(dir);
    const env = taskProcessEnv(join(dir, 'narrowed'), {
      ...process.env,
      NODE_EXTRA_CA_CERTS: source,
    });
    // A DAG file whose import fails with what the task process's environment holds.
    const file = writeFile(
      dir,
      'env_dag.js',
      `throw new Error('extra=' + process.env.NODE_EXTRA_CA_CERTS + ' original=' + process.env.${ORIGINAL_EXTRA_CA_CERTS});`,
    );
    const p = await startTaskProcess(join(dir, 'scheduler.sqlite'), null, env);
    const parsed = new Promise<WorkerMessage>((resolve) =>
      p.onMessage((message) => message.type === 'parsed' && resolve(message)),
    );
    p.child.send({ kind: 'parse', file, metadataPath: join(dir, 'metadata.sqlite') });
    const message = await parsed;
    await p.exited;
    assert.ok(message.type === 'parsed' && message.result.kind === 'error');
    assert.match(message.result.message, new RegExp(`extra=${source} original=undefined`));
  });
});
