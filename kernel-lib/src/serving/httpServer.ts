import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, TsfxError } from '../errors';
import type { Tf } from '../trainer/backend';
import { loadServingBundle } from '../trainer/servingBundle';
import { RestApi } from './restApi';
import { VersionManager } from './versionManager';
import type { VersionPolicy } from './versions';

/** The response header naming the version that answered (TF Serving has none). */
export const VERSION_HEADER = 'X-Model-Version';

export interface ModelServerOptions {
  tf: Tf;
  modelName: string;
  baseDirectory: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  pollSeconds: number;
  policy: VersionPolicy;
  /** Bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** When set, every request needs `Authorization: Bearer <token>`. Required off loopback. */
  token: string | null;
  log(message: string): void;
  /** Rows scored in one model call, and whether concurrent requests share calls. */
  batch?: { maxRows: number; acrossRequests: boolean };
}

export interface ModelServer {
  readonly url: string;
  readonly port: number;
  readonly versions: VersionManager;
  /** Stops taking connections, lets requests under way finish, unloads the model. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Rows per model call: enough to share a call's fixed cost, few enough to keep turns short. */
export const DEFAULT_BATCH = { maxRows: 256, acrossRequests: true };
/** Requests still running this long after close() are cut off. */
const SHUTDOWN_GRACE_MS = 10_000;

/** True for the loopback interface: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * `tsfx serve`'s server: TF Serving's REST API (see RestApi) on Node's http module. On loopback
 * it is a drop-in TF Serving, with no authentication; bound anywhere else it refuses to start
 * without a bearer token, and then every request must carry it.
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  if (!isLoopback(options.host) && !options.token) {
    throw new TsfxError(
      `refusing to serve on ${options.host} without a token: off loopback every request must carry ` +
        'a bearer token (--token-file FILE or TSFX_SERVE_TOKEN)',
    );
  }
  const versions = new VersionManager({
    baseDirectory: options.baseDirectory,
    policy: options.policy,
    pollMs: options.pollSeconds * 1000,
    load: (dir) => loadServingBundle(options.tf, dir),
    log: options.log,
    batch: options.batch ?? DEFAULT_BATCH,
  });
  await versions.start();
  const api = new RestApi(options.modelName, versions);
  const tokenDigest = options.token ? digest(options.token) : null;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res, api, options.maxBodyBytes, tokenDigest).catch((error: unknown) => {
      if (error instanceof ClientGone) return;
      options.log(`error answering ${req.method} ${req.url}: ${errorMessage(error)}`);
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: errorMessage(error) }), null);
      else res.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await versions.stop();
    throw new TsfxError(`cannot listen on ${options.host}:${options.port}: ${errorMessage(error)}`);
  }
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    versions,
    close: () => closeServer(server, versions),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  api: RestApi,
  maxBodyBytes: number,
  tokenDigest: Buffer | null,
): Promise<void> {
  if (tokenDigest && !authorized(req, tokenDigest)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="tsfx serve"');
    return refuse(
      req,
      res,
      401,
      'Unauthenticated: this server needs an Authorization: Bearer <token> header',
    );
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return refuse(req, res, 413, tooLarge(declared, maxBodyBytes));
  const body = await readBody(req, maxBodyBytes);
  if (body === null) return refuse(req, res, 413, tooLarge(null, maxBodyBytes));
  const path = (req.url ?? '/').split('?')[0];
  const answer = await api.handle(req.method ?? 'GET', path, body);
  send(res, answer.status, answer.body, answer.version);
}

/** The body as text, or null once it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // A client that leaves mid-body: nothing to answer, and nothing left waiting.
    req.once('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before sending its whole request');
  }
}

function tooLarge(size: number | null, limit: number): string {
  const what = size === null ? 'The request body is' : `The request body (${size} bytes) is`;
  return `${what} over the limit of ${limit} bytes (--max-body-bytes)`;
}

/** Answers an error without reading the rest of the body, and closes the connection after. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  res.setHeader('Connection', 'close');
  send(res, status, JSON.stringify({ error: message }), null);
  req.resume();
}

function send(res: ServerResponse, status: number, body: string, version: number | null): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  };
  if (version !== null) headers[VERSION_HEADER] = String(version);
  res.writeHead(status, headers);
  res.end(body);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares digests in constant time, so timing tells nothing about the token. */
function authorized(req: IncomingMessage, tokenDigest: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]), tokenDigest);
}

async function closeServer(server: Server, versions: VersionManager): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  timer.unref();
  await closed;
  clearTimeout(timer);
  await versions.stop();
}
