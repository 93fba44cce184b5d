/**
 * Schema: one row per feature with its type, presence (required or optional), valency (value
 * count or shape) and domain (its name and values; a long list of values is folded and expands
 * on click); when the schema has them, the checks of each feature (drift and skew comparators,
 * domain mass, unique values) and its environments, as the static fallback shows them.
 */
import { featureChecks, featureNotes, SCHEMA_MIME_TYPE, schemaLines } from '@tsfx/protocol';
import type { Schema, Feature, SchemaPayload } from '@tsfx/protocol';
import type { RendererSpec } from '../types.js';
import { h, tableHead, viewHeader } from '../dom.js';
import type { Child } from '../dom.js';
import { artifactLine } from '../artifact.js';

/** Domains with more values than this are folded. */
export const DOMAIN_VALUES_SHOWN = 8;

export function presenceOf(f: Feature): { text: string; detail: string } {
  const p = f.presence;
  const required = p?.minFraction !== undefined && p.minFraction >= 1;
  const parts: string[] = [];
  if (p?.minFraction !== undefined && !required) parts.push(`min fraction ${p.minFraction}`);
  if (p?.minCount !== undefined) parts.push(`min count ${p.minCount}`);
  return { text: required ? 'required' : 'optional', detail: parts.join(', ') };
}

export function valencyOf(f: Feature): string {
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

export function domainOf(f: Feature, schema: Schema): DomainView | null {
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

function domainCell(doc: Document, f: Feature, schema: Schema): HTMLTableCellElement {
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

function stageOf(f: Feature): string | null {
  if (f.deprecated) return 'deprecated';
  if (f.lifecycleStage && f.lifecycleStage !== 'UNKNOWN_STAGE' && f.lifecycleStage !== 'PRODUCTION')
    return f.lifecycleStage.toLowerCase();
  return null;
}

/** The feature's notes (environments, stage) under its name. */
function notesLine(doc: Document, f: Feature): HTMLElement | null {
  const notes = featureNotes(f).filter((n) => n !== 'deprecated' && n !== stageOf(f));
  return notes.length > 0
    ? h(doc, 'span', { class: 'tsfx-schema-detail tsfx-schema-notes' }, notes.join('; '))
    : null;
}

function checksCell(doc: Document, f: Feature): HTMLTableCellElement {
  const checks = featureChecks(f);
  return h(
    doc,
    'td',
    { class: 'tsfx-schema-checks' },
    ...checks.map((c) => h(doc, 'span', { class: 'tsfx-schema-check' }, c)),
  );
}

export function renderSchema(host: HTMLElement, payload: SchemaPayload): void {
  const doc = host.ownerDocument;
  const { schema } = payload;
  const withChecks = schema.feature.some((f) => featureChecks(f).length > 0);
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
        notesLine(doc, f),
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
      withChecks ? checksCell(doc, f) : null,
    );
  });
  const headers = [
    'feature',
    'type',
    'presence',
    'valency',
    'domain',
    ...(withChecks ? ['checks'] : []),
  ];
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
    ...schemaLines(schema).map((line) => h(doc, 'div', { class: 'tsfx-schema-line' }, line)),
    h(
      doc,
      'div',
      { class: 'tsfx-scroll tsfx-schema-scroll' },
      h(
        doc,
        'table',
        { class: 'tsfx-table tsfx-schema-table' },
        tableHead(doc, headers),
        h(
          doc,
          'tbody',
          undefined,
          ...(rows.length > 0
            ? rows
            : [
                h(
                  doc,
                  'tr',
                  undefined,
                  h(doc, 'td', { colspan: headers.length }, 'The schema has no features'),
                ),
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
  render: renderSchema,
};
