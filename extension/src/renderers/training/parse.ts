/** Checks the training payload the kernel sends and returns it typed. */
import type { ScalarPoint, TrainingPayload } from '../../payloads.js';
import { array, nullable, number, oneOf, PayloadError, record, string } from '../../validate.js';
import { parseArtifact } from '../../artifact.js';

function parsePoint(v: unknown, path: string): ScalarPoint {
  const r = record(v, path);
  return {
    step: number(r['step'], `${path}.step`),
    wallTime: number(r['wallTime'], `${path}.wallTime`),
    value: number(r['value'], `${path}.value`),
  };
}

export function parseTraining(data: unknown): TrainingPayload {
  const r = record(data, 'payload');
  if (r['kind'] !== 'training') throw new PayloadError('payload.kind', '"training"', r['kind']);
  const progress = record(r['progress'], 'payload.progress');
  const runs = array(r['runs'], 'payload.runs').map((rv, i) => {
    const p = `payload.runs[${i}]`;
    const run = record(rv, p);
    return {
      name: string(run['name'], `${p}.name`),
      series: array(run['series'], `${p}.series`).map((sv, j) => {
        const sp = `${p}.series[${j}]`;
        const series = record(sv, sp);
        const points = array(series['points'], `${sp}.points`).map((pt, k) =>
          parsePoint(pt, `${sp}.points[${k}]`),
        );
        // The kernel sends points in step order; sort anyway (stable) so lookups can bisect.
        if (points.some((pt, k) => k > 0 && pt.step < points[k - 1]!.step)) {
          points.sort((a, b) => a.step - b.step);
        }
        return { tag: string(series['tag'], `${sp}.tag`), points };
      }),
    };
  });
  return {
    kind: 'training',
    artifact: r['artifact'] === null ? null : parseArtifact(r['artifact'], 'payload.artifact'),
    status: oneOf(['running', 'done', 'failed'] as const)(r['status'], 'payload.status'),
    backend: nullable(string)(r['backend'], 'payload.backend'),
    progress: {
      step: number(progress['step'], 'payload.progress.step'),
      numSteps: number(progress['numSteps'], 'payload.progress.numSteps'),
      epoch: number(progress['epoch'], 'payload.progress.epoch'),
      examplesPerSecond: nullable(number)(
        progress['examplesPerSecond'],
        'payload.progress.examplesPerSecond',
      ),
    },
    runs,
  };
}
