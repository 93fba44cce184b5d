/**
 * The Transform benchmark's reference: the taxi workshop's preprocessing as one DuckDB statement
 * from the CSV — three z-scores (trip_miles, fare, trip_seconds, missing as 0), four 10-quantile
 * bucketizations (the coordinates, missing as bucket 10), two frequency-ordered vocabularies
 * (payment_type, company: top 1,000, 10 hashed OOV buckets), five integer identities, two hashed
 * columns (the census tracts, 2,000 buckets) and the label — with DuckDB's own hash and exact
 * quantiles, analyzers over every row. Hand-written SQL, what Transform's batch path competes with.
 */
export function transformReferenceSql(csvLiteral: string): string {
  const dense = ['trip_miles', 'fare', 'trip_seconds'];
  const coordinates = [
    'pickup_latitude',
    'pickup_longitude',
    'dropoff_latitude',
    'dropoff_longitude',
  ];
  const identities: [string, number][] = [
    ['trip_start_hour', 24],
    ['trip_start_day', 8],
    ['trip_start_month', 13],
    ['pickup_community_area', 78],
    ['dropoff_community_area', 78],
  ];
  const deciles = '[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]';
  const analyzers = [
    ...dense.flatMap((c) => [
      `avg(coalesce(${c}, 0)) AS m_${c}`,
      `stddev_pop(coalesce(${c}, 0)) AS s_${c}`,
    ]),
    ...coordinates.map((c) => `quantile_disc(${c}, ${deciles}) AS q_${c}`),
  ];
  const vocabulary = (c: string) =>
    `v_${c} AS (SELECT t, row_number() OVER (ORDER BY n DESC, t DESC) - 1 AS id
       FROM (SELECT coalesce(${c}, '') AS t, count(*) AS n FROM raw GROUP BY 1) QUALIFY id < 1000)`;
  const columns = [
    ...dense.map((c) => `(coalesce(r.${c}, 0) - a.m_${c}) / a.s_${c} AS ${c}_xf`),
    ...coordinates.map(
      (c) =>
        `CASE WHEN r.${c} IS NULL THEN 10 ELSE len(list_filter(a.q_${c}, b -> b <= r.${c})) END AS ${c}_xf`,
    ),
    ...['payment_type', 'company'].map(
      (c) => `coalesce(v_${c}.id, 1000 + hash(coalesce(r.${c}, '')) % 10) AS ${c}_xf`,
    ),
    ...identities.map(
      ([c, n]) => `CASE WHEN r.${c} >= 0 AND r.${c} < ${n} THEN r.${c} ELSE 0 END AS ${c}_xf`,
    ),
    ...['pickup_census_tract', 'dropoff_census_tract'].map(
      (c) => `hash(CAST(r.${c} AS VARCHAR)) % 2000 AS ${c}_xf`,
    ),
    `CASE WHEN r.fare IS NULL THEN 0 WHEN coalesce(r.tips, 0) > 0.2 * r.fare THEN 1 ELSE 0 END AS tips_xf`,
  ];
  return `WITH raw AS (SELECT * FROM read_csv(${csvLiteral})),
  a AS (SELECT ${analyzers.join(', ')} FROM raw),
  ${vocabulary('payment_type')},
  ${vocabulary('company')}
  SELECT ${columns.join(',\n    ')}
  FROM raw AS r CROSS JOIN a
    LEFT JOIN v_payment_type ON v_payment_type.t = coalesce(r.payment_type, '')
    LEFT JOIN v_company ON v_company.t = coalesce(r.company, '')`;
}
