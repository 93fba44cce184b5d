import type { Feature, Schema, StringDomain } from '@tsfx/protocol';
import { featureChecks, featureNotes, isDeprecated, range, schemaLines } from '@tsfx/protocol';
import {
  MUTED_STYLE,
  SUSPICIOUS_STYLE,
  TEXT_FLAG,
  artifactLine,
  artifactText,
  styledTable,
  textCell,
  textTable,
  type Cell,
} from './format';
import { formatNumber, shorten } from '@tsfx/protocol';
import { escapeHtml } from './html';
import type { SchemaPayload } from '@tsfx/protocol';

/**
 * The static view of a schema, as `tfdv.display_schema` shows it: one row per feature with its
 * type, presence, valency and domain; a long string domain shows its size and first values.
 * A `checks` column (drift and skew comparators, domain mass, unique counts) appears only when
 * some feature has one.
 */

/** Values listed of a longer string domain (`n values: 'a', 'b', …`). */
export const DOMAIN_VALUES_SHOWN = 8;

/** A part of a cell: its text and a muted detail after it. */
interface Described {
  text: string;
  detail?: string;
  /** Full content (a long domain) for a tooltip. */
  title?: string;
  suspicious?: boolean;
}

function presenceOf(feature: Feature): Described {
  const p = feature.presence;
  const details: string[] = [];
  if (p?.minFraction !== undefined) details.push(`min fraction ${formatNumber(p.minFraction)}`);
  if (p?.minCount !== undefined) details.push(`min count ${p.minCount}`);
  const detail = details.length > 0 ? details.join(', ') : undefined;
  return { text: p?.minFraction === 1 ? 'required' : 'optional', detail };
}

function valencyOf(feature: Feature): Described {
  if (feature.shape) {
    const dims = feature.shape.dim.map((d) => d.size);
    if (dims.length === 1 && dims[0] === '1') return { text: 'single', detail: 'fixed shape' };
    return { text: dims.length === 0 ? 'scalar' : `shape [${dims.join(', ')}]` };
  }
  const v = feature.valueCount;
  if (!v) return { text: '—' };
  if (v.min !== undefined && v.min === v.max) {
    return { text: v.min === '1' ? 'single' : `${v.min} values` };
  }
  if (v.max !== undefined) return { text: `${v.min ?? '0'}–${v.max} values` };
  return { text: v.min === undefined ? '—' : `${v.min} or more values` };
}

const quote = (value: string): string => `'${value}'`;

function stringDomainOf(domain: StringDomain, shown: number): Described {
  const values = domain.value.map((v) => quote(shorten(v, 40)));
  const listed =
    values.length > shown
      ? `${values.length} values: ${values.slice(0, shown).join(', ')}, …`
      : values.length === 0
        ? 'no values'
        : values.join(', ');
  return {
    text: domain.name ?? 'string',
    detail: listed,
    title: values.length > shown ? domain.value.map(quote).join(', ') : undefined,
  };
}

function domainOf(feature: Feature, schema: Schema, shown = DOMAIN_VALUES_SHOWN): Described {
  if (feature.domain !== undefined) {
    const domain = (schema.stringDomain ?? []).find((d) => d.name === feature.domain);
    if (!domain) {
      return { text: feature.domain, detail: 'no such string domain', suspicious: true };
    }
    return stringDomainOf(domain, shown);
  }
  if (feature.stringDomain) return stringDomainOf(feature.stringDomain, shown);
  if (feature.intDomain) {
    const d = feature.intDomain;
    const parts = [range(d.min, d.max), d.isCategorical ? 'categorical' : ''].filter(Boolean);
    return { text: d.name ?? 'int', detail: parts.join(', ') || undefined };
  }
  if (feature.floatDomain) {
    const d = feature.floatDomain;
    const parts = [
      range(optionalNumber(d.min), optionalNumber(d.max)),
      d.disallowNan ? 'no NaN' : '',
      d.disallowInf ? 'no infinity' : '',
    ].filter(Boolean);
    return { text: d.name ?? 'float', detail: parts.join(', ') || undefined };
  }
  if (feature.boolDomain) {
    const d = feature.boolDomain;
    const values =
      d.trueValue !== undefined || d.falseValue !== undefined
        ? `true ${quote(d.trueValue ?? '')}, false ${quote(d.falseValue ?? '')}`
        : undefined;
    return { text: d.name ?? 'bool', detail: values };
  }
  return { text: '—' };
}

const optionalNumber = (x: number | undefined): string | undefined =>
  x === undefined ? undefined : formatNumber(x);

function describedCell(d: Described, style = ''): Cell {
  const detail = d.detail ? ` <span style="${MUTED_STYLE}">${escapeHtml(d.detail)}</span>` : '';
  return {
    html: escapeHtml(d.text) + detail,
    style: [style, d.suspicious ? SUSPICIOUS_STYLE : ''].filter(Boolean).join(';') || undefined,
    title: d.title,
  };
}

const describedText = (d: Described): string => (d.detail ? `${d.text}: ${d.detail}` : d.text);

const HEADERS = ['feature', 'type', 'presence', 'valency', 'domain'];

export function schemaHtml(payload: SchemaPayload): string {
  const { schema } = payload;
  const features = schema.feature;
  const withChecks = features.some((f) => featureChecks(f).length > 0);
  const rows: Cell[][] = features.map((f) => {
    const notes = featureNotes(f);
    const name = {
      html:
        escapeHtml(f.name) +
        (notes.length > 0
          ? ` <span style="${MUTED_STYLE};font-weight:normal">(${escapeHtml(notes.join('; '))})</span>`
          : ''),
      style: isDeprecated(f) ? `font-weight:bold;${MUTED_STYLE}` : 'font-weight:bold',
    };
    const row: Cell[] = [
      name,
      f.type ?? null,
      describedCell(presenceOf(f), 'white-space:nowrap'),
      describedCell(valencyOf(f), 'white-space:nowrap'),
      describedCell(domainOf(f, schema)),
    ];
    if (withChecks) {
      const checks = featureChecks(f);
      row.push(checks.length > 0 ? textCell(checks.join('; ')) : null);
    }
    return row;
  });
  const lines = schemaLines(schema).map((l) => `<p style="margin:2px 0">${escapeHtml(l)}</p>`);
  return `<div class="tsfx-schema-fallback" style="font-size:12px">
<p><b>Schema</b> ${artifactLine(payload.artifact)}</p>
${[
  ...lines,
  features.length > 0
    ? styledTable(withChecks ? [...HEADERS, 'checks'] : HEADERS, rows, {
        caption: `Features (${features.length})`,
      })
    : `<p style="${MUTED_STYLE}">No features.</p>`,
].join('\n')}
</div>`;
}

export function schemaText(payload: SchemaPayload): string {
  const { schema } = payload;
  const withChecks = schema.feature.some((f) => featureChecks(f).length > 0);
  const rows = schema.feature.map((f) => {
    const notes = featureNotes(f);
    const domain = domainOf(f, schema, 3);
    const row = [
      notes.length > 0 ? `${f.name} (${notes.join('; ')})` : f.name,
      f.type ?? '—',
      describedText(presenceOf(f)),
      describedText(valencyOf(f)),
      shorten(describedText(domain), 60) + (domain.suspicious ? TEXT_FLAG : ''),
    ];
    if (withChecks) row.push(featureChecks(f).join('; ') || '—');
    return row;
  });
  return [
    `Schema ${artifactText(payload.artifact)}`,
    ...schemaLines(schema),
    '',
    `Features (${schema.feature.length})`,
    textTable(withChecks ? [...HEADERS, 'checks'] : HEADERS, rows),
  ].join('\n');
}
