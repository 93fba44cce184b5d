import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readRawInput } from '../../../kernel-lib/src/cli/commands/predict';
import { loadTf } from '../../../kernel-lib/src/trainer/backend';
import { servingDir } from '../../../kernel-lib/src/trainer/servingBundle';
import type { RawRow } from '../../../kernel-lib/src/transform/graph';
import {
  startModelServer,
  type ModelServer,
  type ModelServerOptions,
} from '../../../kernel-lib/src/serving/httpServer';
import { pushToFilesystem } from '../../../kernel-lib/src/serving/push';
import { runCli, tempDir } from '../../helpers';
import { trainTaxiModels } from './taxiModels';

interface VersionJson {
  version: string;
  state: string;
  status: { error_code: string; error_message: string };
}

interface Reply {
  status: number;
  json: Record<string, unknown>;
  version: string | null;
  contentType: string | null;
}

async function call(
  server: ModelServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    version: response.headers.get('x-model-version'),
    contentType: response.headers.get('content-type'),
  };
}

/** `tsfx predict`'s probabilities of a file's rows, as the text it prints. */
function predictCli(modelDir: string, file: string): string[] {
  const result = runCli(['predict', '--model', modelDir, file]);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines[0], 'probability');
  return lines.slice(1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe('tsfx serve: TF Serving REST API', async () => {
  const root = tempDir();
  const { models, evalCsv } = await trainTaxiModels(root, [8, 16]);
  const [bundleA, bundleB] = models.map((m) => servingDir(m.uri));
  const { tf } = await loadTf('auto');
  const base = join(root, 'serving');
  const v1 = (await pushToFilesystem(bundleA, base)).version;
  const logs: string[] = [];
  const options: ModelServerOptions = {
    tf,
    modelName: 'taxi',
    baseDirectory: base,
    host: '127.0.0.1',
    port: 0,
    pollSeconds: 0.1,
    policy: { kind: 'latest', count: 1 },
    maxBodyBytes: 256 * 1024,
    token: null,
    log: (m) => logs.push(m),
  };
  const server = await startModelServer(options);
  after(() => server.close());
  const { rawFeatures: features } = JSON.parse(
    readFileSync(join(bundleA, 'serving.json'), 'utf8'),
  ) as { rawFeatures: { name: string; type: 'INT' | 'FLOAT' | 'STRING' }[] };
  const rows = await readRawInput(evalCsv, features);
  const expectedA = predictCli(join(base, String(v1)), evalCsv);
  const some = rows.slice(0, 300);

  it('GET /v1/models/taxi[/versions/V]: the version served, as GetModelStatus', async () => {
    const expected = {
      model_version_status: [
        {
          version: String(v1),
          state: 'AVAILABLE',
          status: { error_code: 'OK', error_message: '' },
        },
      ],
    };
    const all = await call(server, 'GET', '/v1/models/taxi');
    assert.equal(all.status, 200);
    assert.equal(all.contentType, 'application/json');
    assert.deepEqual(all.json, expected);
    assert.deepEqual((await call(server, 'GET', `/v1/models/taxi/versions/${v1}`)).json, expected);
  });

  it('GET …/metadata: the signature, raw features and their types in, probability out', async () => {
    for (const path of ['/v1/models/taxi/metadata', `/v1/models/taxi/versions/${v1}/metadata`]) {
      const reply = await call(server, 'GET', path);
      assert.equal(reply.status, 200);
      assert.equal(reply.version, String(v1));
      assert.deepEqual(reply.json.model_spec, {
        name: 'taxi',
        signature_name: '',
        version: String(v1),
      });
      const defs = (
        reply.json.metadata as { signature_def: { signature_def: Record<string, Sig> } }
      ).signature_def.signature_def;
      type Sig = {
        inputs: Record<string, { dtype: string; tensor_shape: { dim: { size: string }[] } }>;
        outputs: Record<string, { dtype: string; tensor_shape: { dim: { size: string }[] } }>;
        method_name: string;
      };
      const predict = defs.serving_default;
      assert.equal(predict.method_name, 'tensorflow/serving/predict');
      assert.deepEqual(Object.keys(predict.inputs).sort(), features.map((f) => f.name).sort());
      assert.equal(predict.inputs.fare.dtype, 'DT_FLOAT');
      assert.equal(predict.inputs.trip_start_hour.dtype, 'DT_INT64');
      assert.equal(predict.inputs.company.dtype, 'DT_STRING');
      assert.equal(predict.inputs.payment_type.dtype, 'DT_STRING');
      assert.deepEqual(predict.inputs.fare.tensor_shape.dim, [{ size: '-1', name: '' }]);
      assert.deepEqual(Object.keys(predict.outputs), ['probability']);
      assert.equal(predict.outputs.probability.dtype, 'DT_FLOAT');
      assert.equal(defs.classification.method_name, 'tensorflow/serving/classify');
      assert.equal(defs.regression.method_name, 'tensorflow/serving/regress');
    }
  });

  it(':predict with instances gives the probabilities tsfx predict gives for the same rows', async () => {
    for (const path of ['/v1/models/taxi:predict', `/v1/models/taxi/versions/${v1}:predict`]) {
      const reply = await call(server, 'POST', path, { instances: some });
      assert.equal(reply.status, 200);
      assert.equal(reply.version, String(v1));
      assert.deepEqual((reply.json.predictions as number[]).map(String), expectedA.slice(0, 300));
    }
  });

  it(':predict with columnar inputs answers outputs, the same values', async () => {
    const inputs = Object.fromEntries(features.map((f) => [f.name, some.map((r) => r[f.name])]));
    const reply = await call(server, 'POST', '/v1/models/taxi:predict', { inputs });
    assert.equal(reply.status, 200);
    assert.deepEqual((reply.json.outputs as number[]).map(String), expectedA.slice(0, 300));
  });

  it(':classify answers [label, score] pairs and :regress the probability', async () => {
    const examples = some.slice(0, 20);
    const classify = await call(server, 'POST', '/v1/models/taxi:classify', { examples });
    assert.equal(classify.status, 200);
    const results = classify.json.results as [string, number][][];
    assert.equal(results.length, 20);
    results.forEach((pairs, i) => {
      const p = Number(expectedA[i]);
      assert.deepEqual(pairs, [
        ['0', Math.fround(1 - p)],
        ['1', p],
      ]);
    });
    const regress = await call(server, 'POST', '/v1/models/taxi:regress', { examples });
    assert.deepEqual((regress.json.results as number[]).map(String), expectedA.slice(0, 20));
    // `context` holds features shared by every example.
    const { company, ...rest } = some[0];
    const shared = await call(server, 'POST', '/v1/models/taxi:regress', {
      context: { company },
      examples: [rest],
    });
    assert.deepEqual((shared.json.results as number[]).map(String), expectedA.slice(0, 1));
  });

  it('scores an instance that leaves features out as tsfx predict scores empty CSV fields', async () => {
    const dir = join(root, 'partial');
    mkdirSync(dir, { recursive: true });
    const names = features.map((f) => f.name);
    const csv = join(dir, 'partial.csv');
    writeFileSync(
      csv,
      `${names.join(',')}\n${names.map((n) => (n === 'fare' ? '12.5' : n === 'company' ? 'Flash Cab' : '')).join(',')}\n`,
    );
    const expected = predictCli(join(base, String(v1)), csv);
    const sparse = await call(server, 'POST', '/v1/models/taxi:predict', {
      instances: [
        { fare: 12.5, company: 'Flash Cab' },
        {
          fare: [12.5],
          company: { b64: Buffer.from('Flash Cab').toString('base64') },
          trip_miles: null,
          payment_type: [],
        },
      ],
    });
    assert.equal(sparse.status, 200);
    assert.deepEqual((sparse.json.predictions as number[]).map(String), [expected[0], expected[0]]);
  });

  it('refuses bad requests with TF Serving status codes and a JSON error, and keeps serving', async () => {
    const instance = { ...some[0] };
    const cases: [string, string, string | unknown, number, string | RegExp][] = [
      ['POST', '/v1/models/taxi:predict', '{"instances": [', 400, /^JSON Parse error: /],
      ['POST', '/v1/models/taxi:predict', '', 400, 'JSON Parse error: The document is empty'],
      ['POST', '/v1/models/taxi:predict', '[1,2]', 400, 'JSON Value: [1,2] Is not object'],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [instance, { ...instance, tip_pct: 0.3 }] },
        400,
        "Failed to process element: 1 key: tip_pct of 'instances' list. Error: JSON object: does not have named input: tip_pct",
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [{ ...instance, fare: 'twelve' }] },
        400,
        `Failed to process element: 0 key: fare of 'instances' list. Error: JSON Value: "twelve" Type: String is not of expected type: float`,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [{ trip_start_hour: 7.5 }] },
        400,
        /key: trip_start_hour .* JSON Value: 7\.5 Type: Number is not of expected type: int64$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [{ company: 5 }] },
        400,
        /key: company .* JSON Value: 5 Type: Number is not of expected type: string$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [{ fare: true }] },
        400,
        /JSON Value: true Type: True is not of expected type: float$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [{ fare: [1, 2] }] },
        400,
        /has 2 values; the model reads one value of fare per instance$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [instance], inputs: { fare: [1] } },
        400,
        /^JSON Value: .* Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { rows: [instance] },
        400,
        "Missing 'inputs' or 'instances' key",
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: instance },
        400,
        /Expecting 'instances' to be an list\/array$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [] },
        400,
        /No values in 'instances' array$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: [1, 2] },
        400,
        /^instances is a plain list, but expecting list of objects/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { inputs: { fare: [1, 2], trip_miles: [1] } },
        400,
        'Expecting 2 values per input (as fare has) but trip_miles has 1',
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { inputs: { tips: [1] } },
        400,
        'JSON object: does not have named input: tips',
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { inputs: [1, 2] },
        400,
        /^inputs is a plain value\/list/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { signature_name: 7, instances: [instance] },
        400,
        /'signature_name' key must be a string value\.$/,
      ],
      [
        'POST',
        '/v1/models/taxi:predict',
        { signature_name: 'nope', instances: [instance] },
        400,
        'Serving signature name: "nope" not found in signature def',
      ],
      [
        'POST',
        '/v1/models/taxi:classify',
        { instances: [instance] },
        400,
        /When method is classify, key 'examples' is expected and was not found$/,
      ],
      [
        'POST',
        '/v1/models/taxi:classify',
        { examples: [] },
        400,
        /'examples' value is an empty array$/,
      ],
      [
        'POST',
        '/v1/models/taxi:classify',
        { examples: [1] },
        400,
        'Example must be JSON object but got JSON Number',
      ],
      [
        'POST',
        '/v1/models/taxi:regress',
        { examples: [{ fare: 'x' }] },
        400,
        /^Failed to process example: 0 key: fare\. Error: JSON Value: "x"/,
      ],
      [
        'POST',
        '/v1/models/taxi:classify',
        { signature_name: 'serving_default', examples: [instance] },
        400,
        'Expected classification signature method_name to be tensorflow/serving/classify. Was: tensorflow/serving/predict',
      ],
      [
        'POST',
        '/v1/models/nope:predict',
        { instances: [instance] },
        404,
        'Servable not found for request: Latest(nope)',
      ],
      [
        'POST',
        '/v1/models/taxi/versions/123:predict',
        { instances: [instance] },
        404,
        'Servable not found for request: Specific(taxi, 123)',
      ],
      [
        'POST',
        '/v1/models/taxi/versions/99999999999999999999:predict',
        { instances: [instance] },
        400,
        'Failed to convert version: 99999999999999999999 to numeric.',
      ],
      ['GET', '/v1/models/nope', undefined, 404, 'Could not find any versions of model nope'],
      [
        'GET',
        '/v1/models/taxi/versions/123',
        undefined,
        404,
        'Could not find version 123 of model taxi',
      ],
      [
        'GET',
        '/v1/models/nope/metadata',
        undefined,
        404,
        'Servable not found for request: Latest(nope)',
      ],
      ['GET', '/v1/models', undefined, 400, 'Missing model name in request.'],
      [
        'GET',
        '/v1/models/taxi:predict',
        undefined,
        400,
        'Malformed request: GET /v1/models/taxi:predict',
      ],
      [
        'POST',
        '/v1/models/taxi:explain',
        '{}',
        400,
        'Malformed request: POST /v1/models/taxi:explain',
      ],
      ['GET', '/index.html', undefined, 404, /^Not found: GET \/index\.html/],
      [
        'POST',
        '/v1/models/taxi:predict',
        { instances: Array(3000).fill(instance) },
        413,
        /^The request body \(\d+ bytes\) is over the limit of 262144 bytes/,
      ],
    ];
    for (const [method, path, body, status, error] of cases) {
      const reply = await call(server, method, path, body);
      const what = `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`;
      assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.json)}`);
      assert.equal(reply.contentType, 'application/json', what);
      assert.deepEqual(Object.keys(reply.json), ['error'], what);
      if (typeof error === 'string') assert.equal(reply.json.error, error, what);
      else assert.match(String(reply.json.error), error, what);
    }
    const good = await call(server, 'POST', '/v1/models/taxi:predict', { instances: [instance] });
    assert.equal(good.status, 200);
  });

  it('refuses a chunked body over the limit (413), a broken HTTP request and a vanished client, and keeps serving', async () => {
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/models/taxi:predict`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, ' ');
      for (let i = 0; i < 5; i++) req.write(chunk);
      req.end();
    });
    assert.equal(chunked, 413);
    const garbage = await new Promise<string>((resolve) => {
      const socket: Socket = connect(server.port, '127.0.0.1', () => {
        socket.write('NOT HTTP AT ALL\r\n\r\n');
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    await new Promise<void>((resolve) => {
      const socket: Socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST /v1/models/taxi:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"inst',
        );
        socket.destroy();
        resolve();
      });
    });
    const deep = await call(
      server,
      'POST',
      '/v1/models/taxi:predict',
      '['.repeat(100_000) + ']'.repeat(100_000),
    );
    assert.equal(deep.status, 400);
    const good = await call(server, 'POST', '/v1/models/taxi:predict', { instances: [some[0]] });
    assert.deepEqual((good.json.predictions as number[]).map(String), expectedA.slice(0, 1));
  });

  it('with a token, refuses requests without it (401); refuses to start off loopback without one', async () => {
    const token = 'a-long-enough-test-token-0123456789';
    await assert.rejects(
      startModelServer({ ...options, host: '0.0.0.0' }),
      /refusing to serve on 0\.0\.0\.0 without a token/,
    );
    await assert.rejects(
      startModelServer({ ...options, host: '10.1.2.3' }),
      /refusing to serve on 10\.1\.2\.3 without a token/,
    );
    const guarded = await startModelServer({ ...options, token, log: () => {} });
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${token}`]) {
        const reply = await call(
          guarded,
          'GET',
          '/v1/models/taxi',
          undefined,
          authorization ? { authorization } : {},
        );
        assert.equal(reply.status, 401);
        assert.match(String(reply.json.error), /^Unauthenticated/);
      }
      const ok = await call(
        guarded,
        'POST',
        '/v1/models/taxi:predict',
        { instances: [some[0]] },
        { authorization: `Bearer ${token}` },
      );
      assert.equal(ok.status, 200);
    } finally {
      await guarded.close();
    }
  });

  it('serves the versions a policy wants (latest:2, all); reports a broken version and ignores pushes under way', async () => {
    const multi = join(root, 'serving-multi');
    const t = Date.now();
    const a = (await pushToFilesystem(bundleA, multi, { now: () => t })).version;
    const b = (await pushToFilesystem(bundleB, multi, { now: () => t })).version;
    const c = (await pushToFilesystem(bundleA, multi, { now: () => t })).version;
    const multiLogs: string[] = [];
    const served = async (
      policy: ModelServerOptions['policy'],
    ): Promise<{ listed: VersionJson[]; answered: (string | null)[]; latest: string | null }> => {
      const s = await startModelServer({
        ...options,
        baseDirectory: multi,
        policy,
        log: (m) => multiLogs.push(m),
      });
      try {
        const status = await call(s, 'GET', '/v1/models/taxi');
        const listed = status.json.model_version_status as VersionJson[];
        const answered: (string | null)[] = [];
        for (const v of [a, b, c]) {
          const reply = await call(s, 'POST', `/v1/models/taxi/versions/${v}:predict`, {
            instances: [some[0]],
          });
          answered.push(reply.status === 200 ? reply.version : String(reply.status));
        }
        const latest = await call(s, 'POST', '/v1/models/taxi:predict', { instances: [some[0]] });
        return { listed, answered, latest: latest.version };
      } finally {
        await s.close();
      }
    };
    const two = await served({ kind: 'latest', count: 2 });
    assert.deepEqual(
      two.listed.map((v) => [v.version, v.state]),
      [
        [String(c), 'AVAILABLE'],
        [String(b), 'AVAILABLE'],
      ],
    );
    assert.deepEqual(two.answered, ['404', String(b), String(c)]);
    assert.equal(two.latest, String(c));

    // A push still being copied is not a version; a folder that is not a model fails to load,
    // is reported, and the others keep serving.
    cpSync(bundleB, join(multi, '.tsfx-push-abc123'), { recursive: true });
    mkdirSync(join(multi, String(c + 1)));
    writeFileSync(join(multi, String(c + 1), 'serving.json'), '{"format": "something else"}');
    const all = await served({ kind: 'all' });
    assert.deepEqual(
      all.listed.map((v) => [v.version, v.state]),
      [
        [String(c + 1), 'END'],
        [String(c), 'AVAILABLE'],
        [String(b), 'AVAILABLE'],
        [String(a), 'AVAILABLE'],
      ],
    );
    assert.equal(all.listed[0].status.error_code, 'UNKNOWN');
    assert.match(all.listed[0].status.error_message, /is not a tsfx serving bundle/);
    assert.deepEqual(all.answered, [String(a), String(b), String(c)]);
    assert.equal(all.latest, String(c), 'the newest AVAILABLE version answers');
    assert.ok(multiLogs.some((l) => l.includes(`version ${c + 1}: failed to load`)));
  });

  it('hot reload under load: a new version pushed while 8 clients keep asking; 0 failed, answers switch once', async () => {
    const expectedB = predictCli(bundleB, evalCsv);
    assert.notDeepEqual(expectedB.slice(0, 50), expectedA.slice(0, 50), 'the two versions differ');
    let v2 = 0;
    let stop = false;
    const failures: string[] = [];
    const answers: { row: number; version: number; prediction: string }[] = [];
    const perClient: number[][] = [];
    const client = async (c: number) => {
      const seen: number[] = [];
      perClient.push(seen);
      // Two clients send 600 instances a request: scored over several turns of the event loop,
      // they are under way when the versions change.
      const size = c < 6 ? 1 : 600;
      for (let i = c * 600; !stop; i += 8 * 600) {
        const first = i % (rows.length - size);
        try {
          const reply = await call(server, 'POST', '/v1/models/taxi:predict', {
            instances: rows.slice(first, first + size) as RawRow[],
          });
          if (reply.status !== 200) failures.push(`${reply.status} ${JSON.stringify(reply.json)}`);
          const version = Number(reply.version);
          seen.push(version);
          (reply.json.predictions as number[]).forEach((p, k) =>
            answers.push({ row: first + k, version, prediction: String(p) }),
          );
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await sleep(1000);
    v2 = (await pushToFilesystem(bundleB, base)).version;
    await until(
      'every client has had answers from the new version',
      () => perClient.every((seen) => seen.filter((v) => v === v2).length >= 3),
      60_000,
    );
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(failures, []);
    // Each answer is the prediction of the version that says it answered.
    const expected = new Map([
      [v1, expectedA],
      [v2, expectedB],
    ]);
    const wrong = answers.filter((a) => expected.get(a.version)?.[a.row] !== a.prediction);
    assert.deepEqual(wrong, []);
    for (const seen of perClient) {
      const firstNew = seen.indexOf(v2);
      assert.ok(firstNew > 0, 'answered by v1 first');
      assert.ok(seen.slice(0, firstNew).every((v) => v === v1));
      assert.ok(
        seen.slice(firstNew).every((v) => v === v2),
        'never back to v1 once v2 answered',
      );
    }
    const total = perClient.reduce((n, seen) => n + seen.length, 0);
    assert.ok(total > 50 && answers.length > 2000, `${total} requests, ${answers.length} rows`);
    await until('v1 is unloaded', () => logs.some((l) => l === `version ${v1}: unloaded`));
    const status = await call(server, 'GET', '/v1/models/taxi');
    assert.deepEqual(status.json, {
      model_version_status: [
        {
          version: String(v2),
          state: 'AVAILABLE',
          status: { error_code: 'OK', error_message: '' },
        },
      ],
    });
    const gone = await call(server, 'POST', `/v1/models/taxi/versions/${v1}:predict`, {
      instances: [rows[0]],
    });
    assert.equal(gone.status, 404);
  });
});
