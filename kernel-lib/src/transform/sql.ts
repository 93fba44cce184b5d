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
 * and out-of-vocabulary tokens, `log1p`, numbers printed as text, text read as numbers — run the
 * JavaScript step itself (`compileStep`, what serving runs) as a DuckDB scalar function over the
 * arguments' own columns (no per-row text keys), a vector of rows per call, with string
 * arguments' results remembered per distinct value. Where SQL is provably the same it does the
 * common case and the step only the rest: a vocabulary's tokens are an ENUM in vocabulary order
 * (its code is the id; only out-of-vocabulary text calls the step), whole numbers below 2^53
 * print as their digits (as JavaScript prints them), and a hash or cross of small ids is a
 * table of every combination's result indexed by the ids. An operation without an exact SQL
 * form (`clip`) throws `NotExpressibleInSql`: the caller runs the graph in JavaScript instead.
 */
export class NotExpressibleInSql extends Error {}

/** Combinations of ids up to which a hash or cross is a SQL list rather than a function call. */
const MAX_LIST_LOOKUP = 2_048;
/** Combinations of ids up to which a hash or cross is a table at all (else the step per row). */
const MAX_TABLE_LOOKUP = 1 << 22;

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
    const columns: string[] = [];
    for (const i of here) {
      const value = needsLookup(nodes, nodes[i])
        ? await lookupExpression(db, loaded, i, ref, names)
        : expression(nodes, nodes[i], ref);
      columns.push(`${value} AS n${i}`);
    }
    sql = `SELECT *, ${columns.join(', ')} FROM (${sql})`;
  }
  return { sql, ref };
}

/** Operations whose values need the JavaScript step (a table or a scalar function), not plain SQL. */
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
      return `CASE WHEN ${missing(x, true)} THEN NULL ELSE ${bucketSearch(x, node.boundaries, 0, node.boundaries.length)} END`;
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

/**
 * The JavaScript step's binary search over the boundaries (`low`..`high`, the same midpoints) as
 * nested CASEs: a few comparisons a row rather than one per boundary.
 */
function bucketSearch(x: string, boundaries: readonly number[], low: number, high: number): string {
  if (low >= high) return `${low}.0`;
  const mid = (low + high) >> 1;
  const above = bucketSearch(x, boundaries, mid + 1, high);
  const below = bucketSearch(x, boundaries, low, mid);
  return `CASE WHEN ${sqlDouble(boundaries[mid])} <= ${x} THEN ${above} ELSE ${below} END`;
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
  if (total > MAX_TABLE_LOOKUP) return null;
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
  let stride = 1;
  const terms: string[] = [];
  for (let k = args.length - 1; k >= 0; k--) {
    terms.push(`CAST(${ref(args[k])} AS BIGINT) * ${stride}`);
    stride *= sizes[k]!;
  }
  const index = terms.join(' + ');
  if (total <= MAX_LIST_LOOKUP) {
    await db.run(`SET VARIABLE ${name} = CAST([${results.join(', ')}] AS DOUBLE[])`);
    return `getvariable('${name}')[${index} + 1]`;
  }
  // A long list would be copied for every vector of rows: index a JavaScript array instead.
  const table = Float64Array.from(results);
  db.registerScalarFunction(
    DuckDBScalarFunction.create({
      name,
      returnType: DOUBLE,
      parameterTypes: [UINTEGER],
      mainFunction: (_info, input, output) => {
        const ids = input.getColumnVector(0);
        for (let r = 0; r < input.rowCount; r++) {
          const id = ids.getItem(r);
          output.setItem(r, typeof id === 'number' ? table[id] : null);
        }
        output.flush();
      },
    }),
  );
  return `${name}(CAST(${index} AS UINTEGER))`;
}

/** A lookup node's value: SQL where it is provably the step's, the step itself elsewhere. */
async function lookupExpression(
  db: DuckDBConnection,
  loaded: LoadedTransformGraph,
  i: number,
  ref: (i: number) => string,
  names: { prefix: string },
): Promise<string> {
  const { nodes } = loaded.graph;
  const node = nodes[i];
  const table = await domainLookup(db, loaded, i, ref, names);
  if (table !== null) return table;
  const step = stepFunction(db, loaded, i, ref, names);
  if (node.op === 'vocabulary' && !isNumeric(nodes[node.x])) {
    const tokens = loaded.vocabularies[node.vocabularyFile] ?? [];
    // An ENUM needs distinct tokens without NUL; a vocabulary's are distinct (counted keys).
    if (tokens.length === 0 || new Set(tokens).size !== tokens.length) return step;
    if (tokens.some((t) => t.includes('\0'))) return step;
    const type = `${names.prefix}_vocabulary_${i}`;
    await db.run(`CREATE TYPE ${type} AS ENUM (${tokens.map(sqlString).join(', ')})`);
    const id = `CAST(enum_code(TRY_CAST(${ref(node.x)} AS ${type})) AS DOUBLE)`;
    return `coalesce(${id}, ${step})`;
  }
  if (node.op === 'unary' && node.fn === 'toString') {
    // JavaScript prints a whole number below 2^53 as its digits, as BIGINT text does (-0 as 0).
    const x = ref(node.x);
    return `CASE WHEN ${x} = trunc(${x}) AND abs(${x}) < 9007199254740992 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ELSE ${step} END`;
  }
  return step;
}

/** Results remembered per distinct string argument before the memory is cleared. */
const MAX_REMEMBERED = 1_000_000;

/**
 * The JavaScript step of node i as a DuckDB scalar function over its arguments' columns (DOUBLE
 * or VARCHAR as the graph types them), a vector of rows per call; returns the SQL calling it.
 * The function sees nulls (special handling): the step decides what a missing input gives.
 */
function stepFunction(
  db: DuckDBConnection,
  loaded: LoadedTransformGraph,
  i: number,
  ref: (i: number) => string,
  names: { prefix: string },
): string {
  const { nodes } = loaded.graph;
  const node = nodes[i];
  let vocab: Map<string, number> | null = null;
  if (node.op === 'vocabulary') {
    const tokens = loaded.vocabularies[node.vocabularyFile] ?? [];
    vocab = new Map(tokens.map((token, k) => [token, k]));
  }
  const step = compileStep(node, i, vocab);
  const args = argsOf(node);
  const values: Value[] = new Array<Value>(nodes.length).fill(null);
  const row = {};
  // A string argument's result is remembered (hashing text is the costly part); a number's is
  // not (a Map would also conflate -0 and 0, which log1p tells apart).
  const remembered =
    args.length === 1 && !isNumeric(nodes[args[0]]) ? new Map<Value, Value>() : null;
  const name = `${names.prefix}_step_${i}`;
  db.registerScalarFunction(
    DuckDBScalarFunction.create({
      name,
      returnType: isNumeric(node) ? DOUBLE : VARCHAR,
      parameterTypes: args.map((a) => (isNumeric(nodes[a]) ? DOUBLE : VARCHAR)),
      specialHandling: true,
      mainFunction: (_info, input, output) => {
        const columns = args.map((_, k) => input.getColumnVector(k));
        for (let r = 0; r < input.rowCount; r++) {
          if (remembered !== null) {
            const x = columns[0].getItem(r) as Value;
            let result = remembered.get(x);
            if (result === undefined) {
              values[args[0]] = x;
              result = step(row, values);
              if (remembered.size >= MAX_REMEMBERED) remembered.clear();
              remembered.set(x, result);
            }
            output.setItem(r, result);
            continue;
          }
          for (let k = 0; k < args.length; k++) values[args[k]] = columns[k].getItem(r) as Value;
          output.setItem(r, step(row, values));
        }
        output.flush();
      },
    }),
  );
  const cast = (a: number): string =>
    `CAST(${ref(a)} AS ${isNumeric(nodes[a]) ? 'DOUBLE' : 'VARCHAR'})`;
  return `${name}(${args.map(cast).join(', ')})`;
}
