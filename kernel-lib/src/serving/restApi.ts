import {
  exampleRows,
  parseBody,
  predictRows,
  ServingError,
  signatureName,
  type JsonObject,
} from './requests';
import {
  CLASS_LABELS,
  classScores,
  metadataResponse,
  predictResponse,
  resolveSignature,
  type Method,
} from './signatures';
import type { VersionLease, VersionManager, VersionStatus } from './versionManager';

export interface RestResponse {
  status: number;
  /** JSON text. */
  body: string;
  /** The version that answered, for the `X-Model-Version` header. */
  version: number | null;
}

// TF Serving's two path patterns (case-insensitive, as its RE2 patterns are).
const PREDICTION_PATH =
  /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d+))?:(classify|regress|predict)$/i;
const STATUS_PATH = /^\/v1\/models(?:\/([^/:]+))?(?:\/versions\/(\d+))?(\/metadata)?$/i;

/**
 * TF Serving's REST API for one model: status, metadata, predict, classify and regress, with its
 * paths, bodies, error messages and status codes. Transport-free: takes the method, path and
 * body text, returns the status and JSON text.
 */
export class RestApi {
  constructor(
    private readonly modelName: string,
    private readonly versions: VersionManager,
  ) {}

  async handle(method: string, path: string, body: string): Promise<RestResponse> {
    try {
      return await this.route(method, path, body);
    } catch (error) {
      const known = error instanceof ServingError;
      const message = error instanceof Error ? error.message : String(error);
      return {
        status: known ? error.httpStatus : 500,
        body: JSON.stringify({ error: known ? message : `Internal: ${message}` }),
        version: null,
      };
    }
  }

  private async route(method: string, path: string, body: string): Promise<RestResponse> {
    const prediction = method === 'POST' ? PREDICTION_PATH.exec(path) : null;
    if (prediction) {
      const [, name, version, verb] = prediction;
      return this.predict(name, parseVersion(version), verb.toLowerCase() as Method, body);
    }
    const status = method === 'GET' ? STATUS_PATH.exec(path) : null;
    if (status) {
      const [, name, version, metadata] = status;
      if (!name) throw new ServingError('INVALID_ARGUMENT', 'Missing model name in request.');
      return metadata
        ? this.metadata(name, parseVersion(version))
        : this.status(name, parseVersion(version));
    }
    if (/^\/v1\//i.test(path)) {
      throw new ServingError('INVALID_ARGUMENT', `Malformed request: ${method} ${path}`);
    }
    throw new ServingError('NOT_FOUND', `Not found: ${method} ${path} (the API is under /v1/)`);
  }

  private status(name: string, version: number | undefined): RestResponse {
    const known = name === this.modelName ? this.versions.statuses() : [];
    const listed = version === undefined ? known : known.filter((s) => s.version === version);
    if (listed.length === 0) {
      throw new ServingError(
        'NOT_FOUND',
        version === undefined
          ? `Could not find any versions of model ${name}`
          : `Could not find version ${version} of model ${name}`,
      );
    }
    return ok({ model_version_status: listed.map(statusJson) }, null);
  }

  private metadata(name: string, version: number | undefined): RestResponse {
    const lease = this.lease(name, version);
    try {
      return ok(
        metadataResponse(this.modelName, lease.version, lease.bundle.manifest),
        lease.version,
      );
    } finally {
      lease.release();
    }
  }

  private async predict(
    name: string,
    version: number | undefined,
    method: Method,
    body: string,
  ): Promise<RestResponse> {
    const doc = parseBody(body);
    const signature = resolveSignature(signatureName(doc), method);
    const lease = this.lease(name, version);
    try {
      return ok(await answer(lease, doc, method, signature), lease.version);
    } finally {
      lease.release();
    }
  }

  private lease(name: string, version: number | undefined): VersionLease {
    const lease = name === this.modelName ? this.versions.acquire(version) : null;
    if (!lease) {
      throw new ServingError(
        'NOT_FOUND',
        `Servable not found for request: ${version === undefined ? `Latest(${name})` : `Specific(${name}, ${version})`}`,
      );
    }
    return lease;
  }
}

async function answer(
  lease: VersionLease,
  doc: JsonObject,
  method: Method,
  signature: ReturnType<typeof resolveSignature>,
): Promise<Record<string, unknown>> {
  if (method === 'predict') {
    const input = predictRows(doc, lease.features);
    return predictResponse(signature, await lease.score(input.rows), input.format);
  }
  const scores = await lease.score(exampleRows(doc, lease.features, method));
  if (method === 'regress') return { results: Array.from(scores) };
  return {
    results: Array.from(scores, (p) => {
      const [negative, positive] = classScores(p);
      return [
        [CLASS_LABELS[0], negative],
        [CLASS_LABELS[1], positive],
      ];
    }),
  };
}

function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const version = Number(text);
  if (!Number.isSafeInteger(version)) {
    throw new ServingError('INVALID_ARGUMENT', `Failed to convert version: ${text} to numeric.`);
  }
  return version;
}

function statusJson(status: VersionStatus) {
  return {
    version: String(status.version),
    state: status.state,
    status: {
      error_code: status.error === null ? 'OK' : 'UNKNOWN',
      error_message: status.error ?? '',
    },
  };
}

function ok(value: unknown, version: number | null): RestResponse {
  return { status: 200, body: JSON.stringify(value), version };
}
