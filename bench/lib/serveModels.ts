// Prepares the serving benchmark once (cached in build/bench/serve): the taxi model trained for
// the pipeline's 200 steps and for 100 (the "new version" pushed mid-run), and request bodies
// of 1 and 64 raw eval rows. Prints the paths as JSON.
//   tsx bench/lib/serveModels.ts <dir>
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRawInput } from '../../kernel-lib/src/cli/commands/predict';
import { servingDir, type ServingManifest } from '../../kernel-lib/src/trainer/servingBundle';
import { trainTaxiModels } from '../../test/kernel-lib/serving/taxiModels';
import { readFileSync } from 'node:fs';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const done = join(dir, 'prepared.json');
  if (!existsSync(done)) {
    const { models, evalCsv, chain } = await trainTaxiModels(join(dir, 'pipeline'), [200, 100]);
    chain.store.close();
    const [current, next] = models.map((m) => servingDir(m.uri));
    const manifest = JSON.parse(
      readFileSync(join(current, 'serving.json'), 'utf8'),
    ) as ServingManifest;
    const rows = await readRawInput(evalCsv, manifest.rawFeatures);
    const bodies: Record<string, string> = {};
    for (const n of [1, 64]) {
      bodies[n] = join(dir, `instances-${n}.json`);
      writeFileSync(bodies[n], JSON.stringify({ instances: rows.slice(100, 100 + n) }));
    }
    writeFileSync(done, JSON.stringify({ current, next, bodies }));
  }
  console.log(readFileSync(done, 'utf8'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
