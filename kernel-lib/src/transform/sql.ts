import {
  DOUBLE,
  DuckDBScalarFunction,
  UINTEGER,
  VARCHAR,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { sqlIdentifier, sqlString } from '../duckdb/withDuckDB';
import {
  argsOf,
  compileStep,
  reachableNodes,
  type GraphNode,
  type LoadedTransformGraph,
  type Value,
} from './graph';

/**
 * The transform graph as DuckDB SQL, for batch work (Transform's analyzers and its output).
 * The graph stays the one definition: every node's SQL gives the value `compileTransform` gives,
 * bit for bit (tested on the same rows through both paths). Arithmetic, comparisons, missing
 * values, z-scores, bucket boundaries and integer identities are plain SQL over DOUBLE with
 * JavaScript's rules spelt out (NaN compares false; null propagates). The operations whose
 * JavaScript result DuckDB has no exact function for — the FNV-1a hash of hash buckets, crosses
 * and out-of-vocabulary tokens, vocabulary lookups, `log1p`, numbers printed as text — are
 * *lookups*: a first query collects the distinct input values of the data, the JavaScript step
 * itself (`compileStep`, what serving runs) computes each one's result, and the main query maps
 * values to results through an ENUM of the keys and a scalar function over the results. So the hash is the same function on both paths,
 * run once per distinct value rather than per row. A lookup with more than `MAX_LOOKUP_KEYS`
 * distinct values, or an operation without an exact SQL form (`clip`), throws
 * `NotExpressibleInSql`: the caller runs the graph in JavaScript instead.
 */
export class NotExpressibleInSql extends Error {}

/** Distinct values above which a lookup gives up (the JavaScript path then runs). */
export const MAX_LOOKUP_KEYS = 250_000;
/** Distinct values up to which a lookup's results are a SQL list rather than a function call. */
const MAX_LIST_LOOKUP = 2_048;

/** Raw column types the SQL path reads as the JavaScript path does (numbers, text). */
const NUMERIC_TYPES = new Set([
  'BIGINT',
  'INTEGER',
  'SMALLINT',
  'TINYINT',
  'UBIGINT',
  'UINTEGER',
  'USMALLINT',
  'UTINYINT',
  'DOUBLE',
  'FLOAT',
  'BOOLEAN',
]);

export interface CompiledRelation {
  /** A SELECT whose columns `n<i>` are the chosen nodes' values, rows in input order. */
  sql: string;
  /** The column (or literal) holding node i's value. */
  ref(i: number): string;
}

/** A double as text DuckDB parses back to the same double (the shortest round-trip text). */
const numberText = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/** A double as a SQL DOUBLE, exactly. */
export function sqlDouble(value: number): string {
  return `CAST('${numberText(value)}' AS DOUBLE)`;
}

/** A number DuckDB printed as text (`CAST(x AS VARCHAR)`), back to the same double. */
function parseDuckDBDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  if (text === 'nan' || text === '-nan') return NaN;
  return Number(text);
}

const isNumeric = (node: GraphNode): boolean => node.type !== 'STRING';

/**
 * Compiles the nodes that `roots` read into a relation over `source` (a FROM item, e.g.
 * `read_parquet([...])`), running the lookups' distinct-value queries on `db` as it goes.
 * `columnTypes` are the source's DuckDB column types.
 */
export async function compileRelation(
  db: DuckDBConnection,
  loaded: LoadedTransformGraph,
  roots: readonly number[],
  source: string,
  columnTypes: ReadonlyMap<string, string>,
  names: { prefix: string },
): Promise<CompiledRelation> {
  const { nodes } = loaded.graph;
  const order = reachableNodes(nodes, roots);
  const level = new Map<number, number>();
  for (const i of order) {
    const node = nodes[i];
    level.set(
      i,
      node.op === 'input' || node.op === 'constant'
        ? 0
        : 1 + Math.max(...argsOf(node).map((a) => level.get(a)!)),
    );
  }
  const ref = (i: number): string => {
    const node = nodes[i];
    if (node.op === 'constant') {
      return typeof node.value === 'string' ? sqlString(node.value) : sqlDouble(node.value);
    }
    return `n${i}`;
  };
  const inputs = order.filter((i) => nodes[i].op === 'input');
  const first = inputs.map((i) => {
    const node = nodes[i] as Extract<GraphNode, { op: 'input' }>;
    const type = columnTypes.get(node.feature);
    const column = sqlIdentifier(node.feature);
    if (type === undefined) return `NULL::${isNumeric(node) ? 'DOUBLE' : 'VARCHAR'} AS n${i}`;
    if (isNumeric(node) && NUMERIC_TYPES.has(type)) return `CAST(${column} AS DOUBLE) AS n${i}`;
    if (!isNumeric(node) && type === 'VARCHAR') return `${column} AS n${i}`;
    throw new NotExpressibleInSql(
      `raw feature ${node.feature} is ${type}, the graph reads ${node.type}`,
    );
  });
  let sql = `SELECT ${first.length > 0 ? first.join(', ') : '1 AS n_'} FROM ${source}`;
  const maxLevel = Math.max(0, ...level.values());
  for (let l = 1; l <= maxLevel; l++) {
    const here = order.filter((i) => level.get(i) === l);
    const lookups = here.filter((i) => needsLookup(nodes, nodes[i]));
    const tables = new Map<number, string>();
    for (const i of lookups) {
      const table = await domainLookup(db, loaded, i, ref, names);
      if (table !== null) tables.set(i, table);
    }
    const scanned = await buildLookups(
      db,
      loaded,
      lookups.filter((i) => !tables.has(i)),
      sql,
      ref,
      names,
    );
    for (const [i, table] of scanned) tables.set(i, table);
    const columns = here.map((i) => {
      const table = tables.get(i);
      return `${table ?? expression(nodes, nodes[i], ref)} AS n${i}`;
    });
    sql = `SELECT *, ${columns.join(', ')} FROM (${sql})`;
  }
  return { sql, ref };
}

/** Operations computed by the JavaScript step through a lookup table, not by SQL. */
function needsLookup(nodes: GraphNode[], node: GraphNode): boolean {
  switch (node.op) {
    case 'vocabulary':
    case 'hashBuckets':
    case 'cross':
      return true;
    case 'scaleToZeroOne':
      return !(node.max > node.min);
    case 'unary':
      // Text of text and the number of a number are the value itself (plain SQL).
      if (node.fn === 'toString') return isNumeric(nodes[node.x]);
      if (node.fn === 'toNumber') return !isNumeric(nodes[node.x]);
      return node.fn === 'log1p';
    default:
      return false;
  }
}

const missing = (x: string, numeric: boolean): string =>
  numeric ? `(${x} IS NULL OR isnan(${x}))` : `(${x} IS NULL)`;
const bool = (condition: string): string => `CASE WHEN ${condition} THEN 1.0 ELSE 0.0 END`;
const nullIf = (xs: string[], then: string): string =>
  `CASE WHEN ${xs.map((x) => `${x} IS NULL`).join(' OR ')} THEN NULL ELSE ${then} END`;

/** A node's value as SQL, from its arguments' columns (JavaScript's semantics, see graph.ts). */
function expression(nodes: GraphNode[], node: GraphNode, ref: (i: number) => string): string {
  const num = (i: number) => ref(i);
  switch (node.op) {
    case 'fillInMissing': {
      const x = ref(node.x);
      const value = typeof node.value === 'string' ? sqlString(node.value) : sqlDouble(node.value);
      return `CASE WHEN ${missing(x, isNumeric(nodes[node.x]))} THEN ${value} ELSE ${x} END`;
    }
    case 'scaleToZScore': {
      const x = num(node.x);
      const centred = `(${x} - ${sqlDouble(node.mean)})`;
      return node.std > 0 ? `(${centred} / ${sqlDouble(node.std)})` : centred;
    }
    case 'scaleToZeroOne':
      // max > min here (otherwise a lookup); JavaScript divides by the difference it computes.
      return `((${num(node.x)} - ${sqlDouble(node.min)}) / ${sqlDouble(node.max - node.min)})`;
    case 'applyBuckets': {
      const x = num(node.x);
      const count =
        node.boundaries.length === 0
          ? '0.0'
          : `CAST(${node.boundaries.map((b) => `(${x} >= ${sqlDouble(b)})::INTEGER`).join(' + ')} AS DOUBLE)`;
      return `CASE WHEN ${missing(x, true)} THEN NULL ELSE ${count} END`;
    }
    case 'identity': {
      const x = num(node.x);
      return `CASE WHEN ${x} IS NULL THEN NULL WHEN NOT isnan(${x}) AND ${x} = floor(${x}) AND ${x} >= 0 AND ${x} < ${node.numBuckets} THEN ${x} ELSE ${sqlDouble(node.defaultValue)} END`;
    }
    case 'unary': {
      const x = ref(node.x);
      switch (node.fn) {
        case 'isMissing':
          return bool(missing(x, isNumeric(nodes[node.x])));
        case 'toString':
        case 'toNumber':
          return x;
        case 'abs':
          return `abs(${x})`;
        case 'neg':
          return `(-${x})`;
        case 'not':
          return nullIf([x], bool(`${x} = 0`));
        default:
          throw new NotExpressibleInSql(`unary ${node.fn}`);
      }
    }
    case 'binary':
      return node.fn === 'eq' || node.fn === 'ne'
        ? equality(nodes, node, ref)
        : binaryExpression(node, ref);
    case 'where': {
      const c = ref(node.cond);
      return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} <> 0 THEN ${ref(node.a)} ELSE ${ref(node.b)} END`;
    }
    default:
      throw new NotExpressibleInSql(`${node.op} has no exact SQL form`);
  }
}

const ARITHMETIC = { add: '+', sub: '-', mul: '*', div: '/' } as const;
const COMPARISON = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function binaryExpression(
  node: Extract<GraphNode, { op: 'binary' }>,
  ref: (i: number) => string,
): string {
  const l = ref(node.a);
  const r = ref(node.b);
  switch (node.fn) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return `(${l} ${ARITHMETIC[node.fn]} ${r})`;
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      // JavaScript: a comparison with NaN is false (DuckDB orders NaN above every number).
      return nullIf(
        [l, r],
        `CASE WHEN isnan(${l}) OR isnan(${r}) THEN 0.0 ELSE ${bool(`${l} ${COMPARISON[node.fn]} ${r}`)} END`,
      );
    case 'and':
      return nullIf([l, r], bool(`${l} <> 0 AND ${r} <> 0`));
    case 'or':
      return nullIf([l, r], bool(`${l} <> 0 OR ${r} <> 0`));
    case 'eq':
    case 'ne':
      throw new NotExpressibleInSql('eq/ne are compiled with their operand types');
  }
}

/** eq/ne need their operands' types: strict equality, NaN unequal to itself, text never a number. */
function equality(
  nodes: GraphNode[],
  node: Extract<GraphNode, { op: 'binary' }>,
  ref: (i: number) => string,
): string {
  const l = ref(node.a);
  const r = ref(node.b);
  const [yes, no] = node.fn === 'eq' ? ['1.0', '0.0'] : ['0.0', '1.0'];
  const ln = isNumeric(nodes[node.a]);
  const rn = isNumeric(nodes[node.b]);
  if (ln !== rn) return nullIf([l, r], no);
  const nan = ln ? `isnan(${l}) OR isnan(${r})` : 'false';
  return nullIf([l, r], `CASE WHEN ${nan} THEN ${no} WHEN ${l} = ${r} THEN ${yes} ELSE ${no} END`);
}

/**
 * The number of values of a node whose values are always whole numbers in [0, n) or null (bucket,
 * identity, hash and cross ids, vocabulary ids with OOV buckets), else null.
 */
function domainOf(nodes: GraphNode[], i: number): number | null {
  const node = nodes[i];
  switch (node.op) {
    case 'applyBuckets':
      return node.boundaries.length + 1;
    case 'identity':
    case 'hashBuckets':
    case 'cross':
      return node.numBuckets;
    case 'vocabulary':
      return node.numOovBuckets > 0 ? node.size + node.numOovBuckets : null;
    case 'constant':
      return typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 0
        ? node.value + 1
        : null;
    case 'fillInMissing': {
      const inner = domainOf(nodes, node.x);
      const v = node.value;
      return inner !== null && typeof v === 'number' && Number.isInteger(v) && v >= 0
        ? Math.max(inner, v + 1)
        : null;
    }
    case 'where': {
      const a = domainOf(nodes, node.a);
      const b = domainOf(nodes, node.b);
      return a !== null && b !== null ? Math.max(a, b) : null;
    }
    default:
      return null;
  }
}

/**
 * A hash or cross of ids with known small domains needs no scan: the JavaScript step's result for
 * every combination of ids, in a list indexed by the ids in mixed radix. Null when the node's
 * arguments are not such ids or the combinations are too many.
 */
async function domainLookup(
  db: DuckDBConnection,
  loaded: LoadedTransformGraph,
  i: number,
  ref: (i: number) => string,
  names: { prefix: string },
): Promise<string | null> {
  const { nodes } = loaded.graph;
  const node = nodes[i];
  if (node.op !== 'cross' && node.op !== 'hashBuckets') return null;
  const args = argsOf(node);
  const sizes = args.map((a) => domainOf(nodes, a));
  if (sizes.some((n) => n === null)) return null;
  const total = (sizes as number[]).reduce((p, n) => p * n, 1);
  if (total > MAX_LIST_LOOKUP) return null;
  const step = compileStep(node, i, null);
  const values: Value[] = new Array<Value>(nodes.length).fill(null);
  const results: number[] = [];
  for (let index = 0; index < total; index++) {
    // The last argument varies fastest.
    let rest = index;
    for (let k = args.length - 1; k >= 0; k--) {
      values[args[k]] = rest % sizes[k]!;
      rest = Math.floor(rest / sizes[k]!);
    }
    results.push(step({}, values) as number);
  }
  const name = `${names.prefix}_ids_${i}`;
  await db.run(`SET VARIABLE ${name} = CAST([${results.join(', ')}] AS DOUBLE[])`);
  let stride = 1;
  const terms: string[] = [];
  for (let k = args.length - 1; k >= 0; k--) {
    terms.push(`CAST(${ref(args[k])} AS BIGINT) * ${stride}`);
    stride *= sizes[k]!;
  }
  return `getvariable('${name}')[${terms.join(' + ')} + 1]`;
}

/**
 * For each lookup node: the distinct keys of its arguments over `relation` (one query with a
 * grouping set per node), the JavaScript step's result for each, and the SQL that maps a row's key
 * to its result.
 */
async function buildLookups(
  db: DuckDBConnection,
  loaded: LoadedTransformGraph,
  lookups: number[],
  relation: string,
  ref: (i: number) => string,
  names: { prefix: string },
): Promise<Map<number, string>> {
  const { nodes } = loaded.graph;
  const out = new Map<number, string>();
  if (lookups.length === 0) return out;
  // A row's key: the arguments' values as text (a double's shortest round-trip text, injective),
  // each prefixed with its length in bytes when there are several, so no two tuples share a key.
  const keyOf = (i: number): string => {
    const args = argsOf(nodes[i]);
    const texts = args.map((a) => (isNumeric(nodes[a]) ? `CAST(${ref(a)} AS VARCHAR)` : ref(a)));
    if (texts.length === 1) return texts[0];
    return texts.map((t) => `CAST(strlen(${t}) AS VARCHAR) || ':' || ${t}`).join(' || ');
  };
  const keys = lookups.map((i, j) => `${keyOf(i)} AS k${j}`);
  const sets = lookups.map((_, j) => `(k${j})`).join(', ');
  const groupings = lookups.map((_, j) => `grouping(k${j}) AS g${j}`);
  const rows = (
    await db.runAndReadAll(
      `SELECT ${lookups.map((_, j) => `k${j}`).join(', ')}, ${groupings.join(', ')} FROM (SELECT ${keys.join(', ')} FROM (${relation})) GROUP BY GROUPING SETS (${sets})`,
    )
  ).getRows();
  const perLookup: string[][] = lookups.map(() => []);
  for (const row of rows) {
    for (let j = 0; j < lookups.length; j++) {
      const key = row[j];
      if (Number(row[lookups.length + j]) === 0 && key !== null) perLookup[j].push(String(key));
    }
  }
  for (const [j, i] of lookups.entries()) {
    const keysHere = perLookup[j];
    if (keysHere.length > MAX_LOOKUP_KEYS) {
      throw new NotExpressibleInSql(
        `node ${i} (${nodes[i].op}) has ${keysHere.length} distinct inputs (more than ${MAX_LOOKUP_KEYS})`,
      );
    }
    const node = nodes[i];
    const isNumber = node.type !== 'STRING';
    const results = lookupResults(loaded, i, keysHere);
    if (keysHere.length === 0) {
      out.set(i, `NULL::${isNumber ? 'DOUBLE' : 'VARCHAR'}`);
      continue;
    }
    // Key -> code through an ENUM of the keys (a hash lookup in DuckDB); code -> result through a
    // list of the results when it is short (DuckDB copies a constant list for every vector of
    // rows), else through a scalar function over them (a call into JavaScript per vector). A
    // join would not keep the rows' order.
    const name = `${names.prefix}_lookup_${i}`;
    await db.run(`CREATE TYPE ${name} AS ENUM (${keysHere.map(sqlString).join(', ')})`);
    const code = `enum_code(TRY_CAST(${keyOf(i)} AS ${name}))`;
    if (results.length <= MAX_LIST_LOOKUP) {
      const list = results.map((v) =>
        v === null ? 'NULL' : typeof v === 'number' ? `'${numberText(v)}'` : sqlString(v),
      );
      await db.run(
        `SET VARIABLE ${name} = CAST([${list.join(', ')}] AS ${isNumber ? 'DOUBLE' : 'VARCHAR'}[])`,
      );
      out.set(i, `getvariable('${name}')[${code} + 1]`);
      continue;
    }
    db.registerScalarFunction(
      DuckDBScalarFunction.create({
        name,
        returnType: isNumber ? DOUBLE : VARCHAR,
        parameterTypes: [UINTEGER],
        mainFunction: (_info, input, output) => {
          const codes = input.getColumnVector(0);
          for (let r = 0; r < input.rowCount; r++) {
            const c = codes.getItem(r);
            output.setItem(r, typeof c === 'number' ? results[c] : null);
          }
          output.flush();
        },
      }),
    );
    out.set(i, `${name}(CAST(${code} AS UINTEGER))`);
  }
  return out;
}

/** The JavaScript step's result for each key of a lookup node (keys as `buildLookups` makes them). */
function lookupResults(loaded: LoadedTransformGraph, index: number, keys: string[]): Value[] {
  const { nodes } = loaded.graph;
  const node = nodes[index];
  let vocab: Map<string, number> | null = null;
  if (node.op === 'vocabulary') {
    const tokens = loaded.vocabularies[node.vocabularyFile] ?? [];
    vocab = new Map(tokens.map((token, k) => [token, k]));
  }
  const step = compileStep(node, index, vocab);
  const args = argsOf(node);
  const values: Value[] = new Array<Value>(nodes.length).fill(null);
  const partsOf = (key: string): string[] => {
    if (args.length === 1) return [key];
    const bytes = Buffer.from(key, 'utf8');
    const parts: string[] = [];
    let at = 0;
    while (at < bytes.length) {
      const colon = bytes.indexOf(0x3a, at);
      const length = Number(bytes.subarray(at, colon).toString('latin1'));
      parts.push(bytes.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      at = colon + 1 + length;
    }
    return parts;
  };
  return keys.map((key) => {
    const parts = partsOf(key);
    args.forEach((a, k) => {
      values[a] = isNumeric(nodes[a]) ? parseDuckDBDouble(parts[k]) : parts[k];
    });
    return step({}, values);
  });
}
