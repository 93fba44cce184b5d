/**
 * Where the examples view gets pages of rows beyond the payload's first ones: the Jupyter server
 * extension's `/tsfx/examples/rows`, which reads the split's Parquet files (`tsfx rows`), so a
 * page, not the split, crosses the wire. Each answer is checked by the protocol's schema.
 */
import { ServerConnection } from '@jupyterlab/services';
import { check, ExamplesPageSchema } from '@tsfx/protocol';
import type { ExamplesPage, ExamplesPageRequest } from '@tsfx/protocol';

/** Reads a page of the split `request.split` of the Examples artifact at `uri`. */
export type RowSource = (uri: string, request: ExamplesPageRequest) => Promise<ExamplesPage>;

/** The request as query parameters of `/tsfx/examples/rows`. */
export function rowsQuery(uri: string, request: ExamplesPageRequest): URLSearchParams {
  const query = new URLSearchParams({
    uri,
    split: request.split,
    offset: String(request.offset),
    limit: String(request.limit),
  });
  if (request.sort) {
    query.set('sort', request.sort.column);
    query.set('descending', String(request.sort.descending));
  }
  if (request.filter) {
    query.set('filter', request.filter.column);
    query.set('contains', request.filter.contains);
  }
  return query;
}

/** Pages from the Jupyter server this page was loaded from. */
export const serverRows: RowSource = async (uri, request) => {
  const settings = ServerConnection.makeSettings();
  const url = `${settings.baseUrl}tsfx/examples/rows?${rowsQuery(uri, request).toString()}`;
  const response = await ServerConnection.makeRequest(url, {}, settings);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the text is the problem
  }
  if (!response.ok) {
    const detail = (body as { detail?: string; message?: string } | null) ?? {};
    throw new Error(detail.detail ?? detail.message ?? `${response.status} ${response.statusText}`);
  }
  return check(ExamplesPageSchema, body, 'page', 'tsfx examples rows');
};
