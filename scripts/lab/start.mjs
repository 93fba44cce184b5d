// Starts the tsfx JupyterLab (lab/launcher.py on Debian's jupyter_server, serving build/lab)
// and resolves once it answers HTTP. Only node builtins are imported here.
//
//   const { url, stop } = await startLab({ root, port, host, token, notebookPath, log });
//
// url is the notebook's address with ?token=; stop() shuts the kernels and the server down.
// Optional: stateDir (user settings, workspaces, jupyter config/runtime/data; default
// build/lab-state), extraLabextensionsPath (directories of prebuilt extensions to load),
// serverRoot (the folder the file browser shows; default the repository, or the notebook's
// folder when it is outside), timeoutMs (default 60 s).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function jupyterPath(root) {
  return path.join(root, 'build', 'jupyter', 'share', 'jupyter');
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function httpStatus(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isInside(dir, file) {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export async function startLab({
  root,
  port,
  host = '127.0.0.1',
  token,
  notebookPath,
  log = console.log,
  stateDir,
  extraLabextensionsPath = [],
  serverRoot: givenServerRoot,
  timeoutMs = 60_000,
}) {
  root = path.resolve(root);
  const appDir = path.join(root, 'build', 'lab');
  if (!fs.existsSync(path.join(appDir, 'static', 'index.html'))) {
    throw new Error(`${appDir} is not built: run node scripts/setup.mjs (setupLab) first`);
  }
  const jpath = jupyterPath(root);
  if (!fs.existsSync(path.join(jpath, 'kernels', 'tslab', 'kernel.json'))) {
    throw new Error(
      `no tslab kernel spec under ${jpath}/kernels: run node scripts/setup.mjs first`,
    );
  }
  port = port || (await freePort(host));
  token = token || randomBytes(24).toString('hex');
  stateDir = path.resolve(stateDir ?? path.join(root, 'build', 'lab-state'));

  let serverRoot = givenServerRoot ? path.resolve(givenServerRoot) : root;
  let treePath = '';
  if (notebookPath) {
    const nb = path.resolve(root, notebookPath);
    if (!fs.existsSync(nb)) throw new Error(`notebook ${nb} does not exist`);
    if (!isInside(serverRoot, nb)) {
      if (givenServerRoot) throw new Error(`notebook ${nb} is not inside ${serverRoot}`);
      serverRoot = path.dirname(nb);
    }
    treePath = path.relative(serverRoot, nb).split(path.sep).map(encodeURIComponent).join('/');
  }
  for (const d of ['config', 'runtime', 'data'])
    fs.mkdirSync(path.join(stateDir, d), { recursive: true });

  const env = {
    ...process.env,
    JUPYTER_PATH: [jpath, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_CONFIG_DIR: path.join(stateDir, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(stateDir, 'runtime'),
    JUPYTER_DATA_DIR: path.join(stateDir, 'data'),
    JUPYTER_PLATFORM_DIRS: '1',
    PYTHONUNBUFFERED: '1',
  };
  const args = [
    path.join(root, 'lab', 'launcher.py'),
    `--app-dir=${appDir}`,
    `--state-dir=${stateDir}`,
    `--ServerApp.ip=${host}`,
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.token=${token}`,
    '--ServerApp.open_browser=False',
    '--ServerApp.allow_root=True',
    `--ServerApp.root_dir=${serverRoot}`,
    // Pipelines write under the hidden .tsfx/: serve it, so the file browser reaches artifacts.
    '--ContentsManager.allow_hidden=True',
    ...extraLabextensionsPath.map(
      (p) => `--TsfxLabApp.extra_labextensions_path=${path.resolve(p)}`,
    ),
  ];
  const logFile = path.join(stateDir, 'server.log');
  const logStream = fs.createWriteStream(logFile, { flags: 'w' });
  const child = spawn('/usr/bin/python3', args, {
    cwd: serverRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let tail = '';
  const onData = (chunk) => {
    logStream.write(chunk);
    tail = (tail + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });

  const base = `http://${host}:${port}`;
  const auth = `token=${encodeURIComponent(token)}`;

  async function stop() {
    if (exited) return;
    try {
      const res = await fetch(`${base}/api/kernels?${auth}`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) {
        const kernels = await res.json();
        await Promise.all(
          kernels.map((k) =>
            fetch(`${base}/api/kernels/${k.id}?${auth}`, {
              method: 'DELETE',
              signal: AbortSignal.timeout(5000),
            }).catch(() => undefined),
          ),
        );
      }
    } catch {
      // server not answering: fall through to signals
    }
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const done = await Promise.race([exitPromise, sleep(10_000).then(() => null)]);
    if (!done) {
      kill('SIGKILL');
      await exitPromise;
    }
    logStream.end();
  }

  const started = Date.now();
  for (;;) {
    if (exited) {
      throw new Error(
        `the lab server exited (${JSON.stringify(exited)}) before answering; log ${logFile}:\n${tail}`,
      );
    }
    if (
      (await httpStatus(`${base}/api/status?${auth}`)) === 200 &&
      (await httpStatus(`${base}/lab?${auth}`)) === 200
    )
      break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(
        `the lab server did not answer within ${timeoutMs} ms; log ${logFile}:\n${tail}`,
      );
    }
    await sleep(200);
  }
  const url = `${base}/lab${treePath ? `/tree/${treePath}` : ''}?${auth}`;
  log(`lab: serving ${url} (log ${path.relative(root, logFile)})`);
  return { url, stop, token, port, baseUrl: base, logFile };
}
