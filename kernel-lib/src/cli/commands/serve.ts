import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TsfxError } from '../../errors';
import { loadTf } from '../../trainer/backend';
import { DEFAULT_BATCH, DEFAULT_MAX_BODY_BYTES, startModelServer } from '../../serving/httpServer';
import { parseVersionPolicy } from '../../serving/versions';
import type { CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: "serve pushed models over TF Serving's REST API, loading new versions as they appear",
  usage:
    'tsfx serve --model-base-path DIR [--model-name NAME] [--port 8501] [--host 127.0.0.1] ' +
    '[--poll-seconds 1] [--version-policy latest|latest:N|all] [--max-body-bytes N] [--token-file FILE] ' +
    '[--batching on|off]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'model-base-path': { type: 'string' },
        'model-name': { type: 'string', default: 'default' },
        port: { type: 'string', default: '8501' },
        host: { type: 'string', default: '127.0.0.1' },
        'poll-seconds': { type: 'string', default: '1' },
        'version-policy': { type: 'string', default: 'latest' },
        'max-body-bytes': { type: 'string', default: String(DEFAULT_MAX_BODY_BYTES) },
        'token-file': { type: 'string' },
        batching: { type: 'string', default: 'on' },
      },
    });
    const base = values['model-base-path'];
    if (!base || positionals.length > 0) throw new TsfxError(`usage: ${this.usage}`);
    const baseDirectory = resolve(base);
    if (!isDirectory(baseDirectory)) {
      throw new TsfxError(`--model-base-path ${base}: no such folder (a Pusher's baseDirectory)`);
    }
    const port = wholeNumber(values.port!, '--port', 0, 65535);
    const pollSeconds = Number(values['poll-seconds']);
    if (!(pollSeconds > 0)) throw new TsfxError('--poll-seconds must be a number > 0');
    const maxBodyBytes = wholeNumber(values['max-body-bytes']!, '--max-body-bytes', 1);
    const token = readToken(values['token-file']);
    if (values.batching !== 'on' && values.batching !== 'off') {
      throw new TsfxError(`--batching must be on or off, not "${values.batching}"`);
    }
    const { tf, backend } = await loadTf('auto');
    const log = (message: string) => console.log(`[${new Date().toISOString()}] ${message}`);
    const server = await startModelServer({
      tf,
      modelName: values['model-name']!,
      baseDirectory,
      host: values.host!,
      port,
      pollSeconds,
      policy: parseVersionPolicy(values['version-policy']!),
      maxBodyBytes,
      token,
      log,
      // off: each request's rows are scored in model calls of their own (for comparison).
      batch: { ...DEFAULT_BATCH, acrossRequests: values.batching === 'on' },
    });
    console.log(
      `tsfx serve: model "${values['model-name']}" from ${baseDirectory} on TensorFlow.js ${backend}; ` +
        `REST API at ${server.url}/v1/models/${values['model-name']}${token ? ' (bearer token required)' : ''}`,
    );
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    log(`${signal}: finishing the requests under way, then stopping`);
    await server.close();
    log('stopped');
    return 0;
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function wholeNumber(
  text: string,
  flag: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new TsfxError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

/** The bearer token: from --token-file (its first line), else $TSFX_SERVE_TOKEN, else none. */
function readToken(file: string | undefined): string | null {
  let token: string | undefined;
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8').split('\n')[0].trim();
    } catch (error) {
      throw new TsfxError(`--token-file ${file}: ${(error as Error).message}`);
    }
    if (!token) throw new TsfxError(`--token-file ${file} is empty`);
  } else {
    token = process.env.TSFX_SERVE_TOKEN?.trim() || undefined;
  }
  if (token !== undefined && token.length < 16) {
    throw new TsfxError('the bearer token must be at least 16 characters long');
  }
  return token ?? null;
}
