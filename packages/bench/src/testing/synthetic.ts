// Synthetic result sets for tests: k6 JSON output files written in k6's own line format with latencies from a
// seeded generator, then run through the real results pipeline (parse → histograms → paired analysis).
import { mkdir, writeFile } from 'node:fs/promises';
import { HTTP_METRICS, httpTags, metricLine, pointLine } from '../k6/format.ts';
import { buildClusterResults } from '../results/build.ts';
import { hostEnvironment } from '../results/environment.ts';
import { type ClusterResults, rawPath, resourcesPath, type Side } from '../results/layout.ts';
import { normal, seededRng } from '../stats/rng.ts';

export interface SyntheticCluster {
  cluster: string;
  mesh: string;
  /** Added latency of the mesh side, ms. */
  delayMs: number;
  pairs: number;
  requests: number;
  seed: number;
  /** Repetition whose mesh run drops iterations (invalid). */
  invalidRepetition?: number;
  resources?: boolean;
}

async function writeRun(path: string, rng: () => number, requests: number, delay: number, dropped: number) {
  const lines = HTTP_METRICS.map(([n, type, contains]) => metricLine(n, type, contains));
  lines.push(metricLine('dropped_iterations', 'counter', 'default'));
  const tags = httpTags('http://backend:8080/', 'measure');
  for (let i = 0; i < requests; i++) {
    const t = new Date(Date.UTC(2026, 11, 3, 8, 0, 0, i));
    lines.push(pointLine('http_req_duration', t, 0.4 * Math.exp(0.35 * normal(rng)) + delay, tags));
    lines.push(pointLine('http_req_failed', t, 0, tags));
  }
  for (let i = 0; i < dropped; i++)
    lines.push(pointLine('dropped_iterations', new Date(), 1, { scenario: 'measure' }));
  await writeFile(path, `${lines.join('\n')}\n`);
}

export async function syntheticCluster(root: string, c: SyntheticCluster): Promise<ClusterResults> {
  const dir = `${root}/${c.cluster}`;
  await mkdir(`${dir}/raw`, { recursive: true });
  await mkdir(`${dir}/resources`, { recursive: true });
  const rng = seededRng(c.seed);
  const runs = [];
  let order = 0;
  for (let rep = 1; rep <= c.pairs; rep++) {
    const sides: Side[] = rep % 2 === 1 ? ['plain', 'mesh'] : ['mesh', 'plain'];
    for (const side of sides) {
      const file = rawPath(dir, rep, side);
      const dropped = side === 'mesh' && rep === c.invalidRepetition ? 4 : 0;
      await writeRun(file, rng, c.requests, side === 'mesh' ? c.delayMs : 0, dropped);
      if (c.resources) {
        const samples = [0, 1, 2].flatMap((k) => [
          {
            time: `2026-12-03T08:00:0${k}Z`,
            namespace: 'istio-system',
            pod: `ztunnel-${k % 2}`,
            container: 'istio-proxy',
            component: 'ztunnel',
            cpuMillicores: side === 'mesh' ? 120 + 10 * k : 5,
            memoryBytes: 40 * 2 ** 20,
          },
        ]);
        await writeFile(resourcesPath(dir, rep, side), JSON.stringify({ source: 'metrics-server', samples }));
      }
      runs.push({ repetition: rep, side, order: order++, file });
    }
  }
  return buildClusterResults(
    dir,
    {
      runId: '20261203T080000Z',
      cluster: c.cluster,
      mesh: c.mesh,
      label:
        c.mesh === 'local-mtls-proxy'
          ? 'local: one mTLS proxy hop pair on loopback'
          : `${c.cluster} (${c.mesh})`,
      plainSide: 'namespace bench-plain, outside the mesh',
      meshSide: 'namespace bench-mesh, inside the mesh',
      profile: {
        name: 'quick',
        rate: 200,
        durationSeconds: 30,
        warmupSeconds: 10,
        repetitions: c.pairs,
        payloadBytes: 1024,
      },
      environment: hostEnvironment({ k6: 'v2.3.0 (synthetic test data)' }, ['synthetic data for tests']),
    },
    runs,
    { resamples: 2000 },
  );
}
