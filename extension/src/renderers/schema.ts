/**
 * Schema: one row per feature with its type, presence (required or optional), valency (value
 * count or shape) and domain (its name and values; a long list of values is folded and expands
 * on click).
 */
import { SCHEMA_MIME_TYPE } from '@tsfx/protocol';
import type {
  LifecycleStage,
  Schema,
  SchemaFeature,
  SchemaFeatureType,
  SchemaPayload,
  StringDomain,
} from '../payloads.js';
import type { RendererSpec } from '../types.js';
import { h, tableHead, viewHeader } from '../dom.js';
import type { Child } from '../dom.js';
import { array, boolean, number, oneOf, PayloadError, record, string } from '../validate.js';
import type { JsonRecord } from '../validate.js';
import { artifactLine, parseArtifact } from '../artifact.js';

const FEATURE_TYPES: readonly SchemaFeatureType[] = [
  'TYPE_UNKNOWN',
  'BYTES',
  'INT',
  'FLOAT',
  'STRUCT',
];
const STAGES: readonly LifecycleStage[] = [
  'UNKNOWN_STAGE',
  'PLANNED',
  'ALPHA',
  'BETA',
  'PRODUCTION',
  'DEPRECATED',
  'DEBUG_ONLY',
  'DISABLED',
  'VALIDATION_DERIVED',
];
/** Domains with more values than this are folded. */
export const DOMAIN_VALUES_SHOWN = 8;

// Parsing: the fields the view shows are checked; absent optional fields stay absent.

function int64(v: unknown, path: string): string {
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new PayloadError(path, 'a 64-bit integer', v);
}

/** Copies the listed optional fields of `r` that are present, each checked by its parser. */
function pick<T extends object>(
  r: JsonRecord,
  path: string,
  fields: { [K in keyof T]?: (v: unknown, path: string) => T[K] },
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    const check = fields[key];
    if (check && r[key] !== undefined) out[key] = check(r[key], `${path}.${key}`);
  }
  return out;
}

const strings = (v: unknown, path: string): string[] =>
  array(v, path).map((x, i) => string(x, `${path}[${i}]`));

function parseStringDomain(v: unknown, path: string): StringDomain {
  const r = record(v, path);
  const out: StringDomain = {
    value: r['value'] === undefined ? [] : strings(r['value'], `${path}.value`),
  };
  if (r['name'] !== undefined) out.name = string(r['name'], `${path}.name`);
  return out;
}

function parseFeature(v: unknown, path: string): SchemaFeature {
  const r = record(v, path);
  const sub = <T extends object>(fields: {
    [K in keyof T]?: (v: unknown, path: string) => T[K];
  }): ((x: unknown, p: string) => T) => {
    return (x, p) => pick<T>(record(x, p), p, fields) as T;
  };
  return {
    name: string(r['name'], `${path}.name`),
    ...pick<SchemaFeature>(r, path, {
      type: oneOf(FEATURE_TYPES),
      presence: sub({ minFraction: number, minCount: int64 }),
      valueCount: sub({ min: int64, max: int64 }),
      shape: (x, p) => ({
        dim: array(record(x, p)['dim'] ?? [], `${p}.dim`).map((d, i) => {
          const dr = record(d, `${p}.dim[${i}]`);
          return {
            size: int64(dr['size'] ?? '0', `${p}.dim[${i}].size`),
            ...pick<{ name: string }>(dr, `${p}.dim[${i}]`, { name: string }),
          };
        }),
      }),
      domain: string,
      intDomain: sub({ name: string, min: int64, max: int64, isCategorical: boolean }),
      floatDomain: sub({
        name: string,
        min: number,
        max: number,
        disallowNan: boolean,
        disallowInf: boolean,
      }),
      stringDomain: parseStringDomain,
      boolDomain: sub({ name: string, trueValue: string, falseValue: string }),
      lifecycleStage: oneOf(STAGES),
      deprecated: boolean,
      inEnvironment: strings,
      notInEnvironment: strings,
    }),
  };
}

export function parseSchema(data: unknown): SchemaPayload {
  const r = record(data, 'payload');
  if (r['kind'] !== 'schema') throw new PayloadError('payload.kind', '"schema"', r['kind']);
  const artifact = parseArtifact(r['artifact'], 'payload.artifact');
  const sr = record(r['schema'], 'payload.schema');
  const schema: Schema = {
    feature:
      sr['feature'] === undefined
        ? []
        : array(sr['feature'], 'payload.schema.feature').map((f, i) =>
            parseFeature(f, `payload.schema.feature[${i}]`),
          ),
  };
  if (sr['stringDomain'] !== undefined)
    schema.stringDomain = array(sr['stringDomain'], 'payload.schema.stringDomain').map((d, i) =>
      parseStringDomain(d, `payload.schema.stringDomain[${i}]`),
    );
  if (sr['defaultEnvironment'] !== undefined)
    schema.defaultEnvironment = strings(
      sr['defaultEnvironment'],
      'payload.schema.defaultEnvironment',
    );
  return {
    kind: 'schema',
    artifact,
    schema,
  };
}

// Describing a feature.

export function presenceOf(f: SchemaFeature): { text: string; detail: string } {
  const p = f.presence;
  const required = p?.minFraction !== undefined && p.minFraction >= 1;
  const parts: string[] = [];
  if (p?.minFraction !== undefined && !required) parts.push(`min fraction ${p.minFraction}`);
  if (p?.minCount !== undefined) parts.push(`min count ${p.minCount}`);
  return { text: required ? 'required' : 'optional', detail: parts.join(', ') };
}

export function valencyOf(f: SchemaFeature): string {
  if (f.shape)
    return `shape [${f.shape.dim.map((d) => (d.name ? `${d.name}: ${d.size}` : d.size)).join(', ')}]`;
  const vc = f.valueCount;
  if (!vc) return '—';
  const { min, max } = vc;
  if (min !== undefined && max !== undefined) {
    if (min === max) return min === '1' ? 'single' : `${min} values`;
    return `${min}–${max} values`;
  }
  if (min !== undefined) return `at least ${min} value${min === '1' ? '' : 's'}`;
  if (max !== undefined) return `at most ${max} value${max === '1' ? '' : 's'}`;
  return '—';
}

interface DomainView {
  kind: string;
  name: string | null;
  values: string[] | null;
  range: string | null;
}

export function domainOf(f: SchemaFeature, schema: Schema): DomainView | null {
  if (f.domain !== undefined) {
    const d = schema.stringDomain?.find((x) => x.name === f.domain);
    return { kind: 'string', name: f.domain, values: d ? d.value : null, range: null };
  }
  if (f.stringDomain)
    return {
      kind: 'string',
      name: f.stringDomain.name ?? null,
      values: f.stringDomain.value,
      range: null,
    };
  if (f.intDomain) {
    const { min, max, isCategorical } = f.intDomain;
    const range = min !== undefined || max !== undefined ? `[${min ?? '-∞'}, ${max ?? '∞'}]` : null;
    return {
      kind: isCategorical ? 'int (categorical)' : 'int',
      name: f.intDomain.name ?? null,
      values: null,
      range,
    };
  }
  if (f.floatDomain) {
    const { min, max, disallowNan, disallowInf } = f.floatDomain;
    const parts: string[] = [];
    if (min !== undefined || max !== undefined) parts.push(`[${min ?? '-∞'}, ${max ?? '∞'}]`);
    if (disallowNan) parts.push('no NaN');
    if (disallowInf) parts.push('no ±∞');
    return {
      kind: 'float',
      name: f.floatDomain.name ?? null,
      values: null,
      range: parts.join(', ') || null,
    };
  }
  if (f.boolDomain) {
    const { trueValue, falseValue } = f.boolDomain;
    return {
      kind: 'bool',
      name: f.boolDomain.name ?? null,
      values:
        trueValue !== undefined || falseValue !== undefined
          ? [trueValue ?? 'true', falseValue ?? 'false']
          : null,
      range: null,
    };
  }
  return null;
}

function valueChips(doc: Document, values: readonly string[]): HTMLElement {
  return h(
    doc,
    'span',
    { class: 'tsfx-domain-list' },
    ...values.map((v) => h(doc, 'span', { class: 'tsfx-domain-value' }, v === '' ? '(empty)' : v)),
  );
}

function domainCell(doc: Document, f: SchemaFeature, schema: Schema): HTMLTableCellElement {
  const d = domainOf(f, schema);
  if (!d) return h(doc, 'td', { class: 'tsfx-null' }, '—');
  const head: Child[] = [
    h(doc, 'span', { class: 'tsfx-domain-kind' }, d.kind),
    d.name !== null ? h(doc, 'span', { class: 'tsfx-domain-name' }, d.name) : null,
    d.range !== null ? h(doc, 'span', { class: 'tsfx-domain-range' }, d.range) : null,
  ];
  let values: Child = null;
  if (d.values === null && f.domain !== undefined) {
    values = h(
      doc,
      'span',
      { class: 'tsfx-stats-bad tsfx-domain-missing' },
      'domain not found in the schema',
    );
  } else if (d.values !== null && d.values.length <= DOMAIN_VALUES_SHOWN) {
    values = valueChips(doc, d.values);
  } else if (d.values !== null) {
    values = h(
      doc,
      'details',
      { class: 'tsfx-domain-values' },
      h(
        doc,
        'summary',
        undefined,
        `${d.values.length} values: ${d.values
          .slice(0, 2)
          .map((v) => (v.length > 24 ? `${v.slice(0, 23)}…` : v))
          .join(', ')}, …`,
      ),
      valueChips(doc, d.values),
    );
  }
  return h(
    doc,
    'td',
    { class: 'tsfx-domain' },
    h(doc, 'div', { class: 'tsfx-domain-head' }, ...head),
    values,
  );
}

function stageOf(f: SchemaFeature): string | null {
  if (f.deprecated) return 'deprecated';
  if (f.lifecycleStage && f.lifecycleStage !== 'UNKNOWN_STAGE' && f.lifecycleStage !== 'PRODUCTION')
    return f.lifecycleStage.toLowerCase();
  return null;
}

export function renderSchema(host: HTMLElement, payload: SchemaPayload): void {
  const doc = host.ownerDocument;
  const { schema } = payload;
  const rows = schema.feature.map((f) => {
    const presence = presenceOf(f);
    const stage = stageOf(f);
    const type = f.type ?? 'TYPE_UNKNOWN';
    return h(
      doc,
      'tr',
      { 'data-feature': f.name, class: stage ? 'tsfx-schema-inactive' : undefined },
      h(
        doc,
        'th',
        { scope: 'row', class: 'tsfx-schema-name' },
        f.name,
        stage ? h(doc, 'span', { class: 'tsfx-schema-stage' }, stage) : null,
      ),
      h(doc, 'td', { class: `tsfx-schema-type tsfx-type-${type.toLowerCase()}` }, type),
      h(
        doc,
        'td',
        { class: `tsfx-schema-presence tsfx-presence-${presence.text}` },
        presence.text,
        presence.detail ? h(doc, 'span', { class: 'tsfx-schema-detail' }, presence.detail) : null,
      ),
      h(doc, 'td', { class: 'tsfx-schema-valency' }, valencyOf(f)),
      domainCell(doc, f, schema),
    );
  });
  const domains = schema.stringDomain?.length ?? 0;
  const root = h(
    doc,
    'div',
    { class: 'tsfx-view tsfx-schema', 'data-artifact-id': payload.artifact.id },
    viewHeader(
      doc,
      'Schema',
      `${schema.feature.length} feature${schema.feature.length === 1 ? '' : 's'} · ${domains} string domain${domains === 1 ? '' : 's'}`,
    ),
    artifactLine(doc, payload.artifact),
    h(
      doc,
      'div',
      { class: 'tsfx-scroll tsfx-schema-scroll' },
      h(
        doc,
        'table',
        { class: 'tsfx-table tsfx-schema-table' },
        tableHead(doc, ['feature', 'type', 'presence', 'valency', 'domain']),
        h(
          doc,
          'tbody',
          undefined,
          ...(rows.length > 0
            ? rows
            : [
                h(doc, 'tr', undefined, h(doc, 'td', { colspan: 5 }, 'The schema has no features')),
              ]),
        ),
      ),
    ),
  );
  host.append(root);
}

export const schemaRenderer: RendererSpec<'schema'> = {
  kind: 'schema',
  mimeType: SCHEMA_MIME_TYPE,
  rootClass: 'tsfx-schema',
  parse: parseSchema,
  render: renderSchema,
};
