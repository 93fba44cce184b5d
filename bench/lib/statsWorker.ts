// One statistics benchmark subject per process, so that each one's peak RSS is its own.
//   tsx bench/lib/statsWorker.ts tsfx|summarize <csv>
// Prints one JSON line {"maxRssKb", "note"} last (read by measure.ts).
import { sqlString, withDuckDB } from '../../kernel-lib/src/duckdb/withDuckDB';
import { generateStatistics } from '../../kernel-lib/src/statistics';

async function main(): Promise<void> {
  const [subject, csv] = process.argv.slice(2);
  let note = '';
  if (subject === 'tsfx') {
    const stats = await generateStatistics(csv);
    const dataset = stats.datasets[0];
    note = `${dataset.numExamples} examples, ${dataset.features.length} features`;
  } else if (subject === 'summarize') {
    // The peer: DuckDB's SUMMARIZE straight from the CSV (sniffed types, one parallel pass).
    const rows = await withDuckDB(async (db) =>
      (
        await db.runAndReadAll(`SUMMARIZE SELECT * FROM read_csv(${sqlString(csv)})`)
      ).getRowObjects(),
    );
    note = `${rows.length} columns summarized`;
  } else {
    throw new Error(`unknown subject ${subject}`);
  }
  console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, note }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
