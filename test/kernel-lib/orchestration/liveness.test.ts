import assert from 'node:assert/strict';
import { linkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  isOwnSocket,
  livenessSocket,
  socketIsAlive,
  socketIsOnThisHost,
} from '../../../kernel-lib/src/orchestration/liveness';
import { tempDir } from '../../helpers';

describe('liveness sockets', () => {
  it('one socket per process and store folder, next to the store, answering while the process lives', async () => {
    const dir = tempDir();
    const socket = await livenessSocket(join(dir, 'metadata.sqlite'));
    assert.match(
      socket,
      new RegExp(`^${dir}/\\.tsfx-live/[0-9a-f]{8}-${process.pid}-[0-9a-f]{8}\\.sock$`),
    );
    assert.equal(socketIsOnThisHost(socket), true);
    assert.equal(await livenessSocket(join(dir, 'other.sqlite')), socket);
    assert.ok(isOwnSocket(socket));
    assert.equal(await socketIsAlive(socket), true);
    // Its folder removed (as a test's temporary folder is): the next execution gets a new one.
    rmSync(join(dir, '.tsfx-live'), { recursive: true });
    const again = await livenessSocket(join(dir, 'metadata.sqlite'));
    assert.notEqual(again, socket);
    assert.equal(await socketIsAlive(again), true);
    assert.equal(isOwnSocket(socket), false);
  });

  it('a store path too long for a socket gets one under the temporary folder', async () => {
    const deep = join(tempDir(), 'x'.repeat(90));
    const socket = await livenessSocket(join(deep, 'metadata.sqlite'));
    assert.ok(socket.startsWith(join(tmpdir(), 'tsfx-live-')), socket);
    assert.ok(socket.length <= 107);
    assert.equal(await socketIsAlive(socket), true);
  });

  it('a socket nobody listens on (its process died) or no socket at all: not alive', async () => {
    const dir = tempDir();
    const path = join(dir, 'listening.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    // A second name for the socket's inode outlives the listener, as a dead process's file does.
    const orphan = join(dir, 'orphan.sock');
    linkSync(path, orphan);
    assert.equal(await socketIsAlive(orphan), true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(await socketIsAlive(orphan), false, 'connection refused');
    assert.equal(await socketIsAlive(join(dir, 'missing.sock')), false, 'no such file');
  });

  it("a socket another host made (its name's host tag differs) cannot be judged here", async () => {
    const socket = await livenessSocket(join(tempDir(), 'metadata.sqlite'));
    const tag = /([0-9a-f]{8})-\d+-[0-9a-f]{8}\.sock$/.exec(socket)![1];
    const other = tag === '00000000' ? '11111111' : '00000000';
    assert.equal(socketIsOnThisHost(join(tmpdir(), `${other}-4242-0123abcd.sock`)), false);
    assert.equal(socketIsOnThisHost(join(tmpdir(), `${tag}-4242-0123abcd.sock`)), true);
    assert.equal(socketIsOnThisHost(join(tmpdir(), '4242-0123abcd.sock')), true, 'untagged: local');
  });
});
