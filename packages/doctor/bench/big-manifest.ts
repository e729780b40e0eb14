// One large manifest (issue 12: 20 MB took 25.9 s and 1.0 GB): the doctor's time and peak memory must
// grow with the input, not faster. Each size runs in a fresh process so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function app(i: number): string {
  const ns = `team-${i}`;
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: web
          image: ghcr.io/example/web:1.${i}.0
          ports: [{name: http, containerPort: 8080}]
          resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080, targetPort: http}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: ${ns}}
spec: {}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: ${ns}}
data: {settings: "${'x'.repeat(400)}"}
`;
}

function manifest(bytes: number): string {
  const docs: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const doc = app(i);
    docs.push(doc);
    size += doc.length + 4;
  }
  return docs.join('---\n');
}

const runner = `import { runChecks } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)};
const t = performance.now();
const r = await runChecks({ paths: [process.argv[1]], cwd: '/' });
console.log(JSON.stringify({ ms: performance.now() - t, rss: process.resourceUsage().maxRSS * 1024, objects: r.objects }));`;

/** Lines to print: time and peak RSS for 5 and 20 MB, and whether they grow linearly. */
export function bigManifestFigures(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-bench-big-'));
  const lines: string[] = [];
  const runs: { mb: number; s: number; rss: number }[] = [];
  try {
    for (const mb of [5, 20]) {
      const file = join(dir, `big-${mb}.yaml`);
      writeFileSync(file, manifest(mb * 2 ** 20));
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', runner, file], {
        encoding: 'utf8',
      });
      const out = JSON.parse(run.stdout.trim().split('\n').pop() || '{}') as Record<string, number>;
      const r = { mb, s: (out.ms ?? Number.NaN) / 1000, rss: (out.rss ?? Number.NaN) / 2 ** 20 };
      runs.push(r);
      lines.push(
        `check of one ${mb} MB manifest (${out.objects} objects): ${r.s.toFixed(1)} s, peak RSS ${r.rss.toFixed(0)} MB (${(r.s / mb).toFixed(2)} s/MB)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const ratio = large.s / large.mb / (small.s / small.mb);
  // Node's own baseline dominates the small run, so memory is judged by its growth from 5 to 20 MB.
  const growth = (large.rss - small.rss) / (large.mb - small.mb);
  lines.push(
    `  time per MB, 20 MB vs 5 MB: ${ratio.toFixed(2)}x  [goal <= 1.5x: ${ratio <= 1.5 ? 'met' : 'MISSED'}]`,
  );
  lines.push(
    `  peak RSS growth per added MB: ${growth.toFixed(0)} MB  [goal <= 25: ${growth <= 25 ? 'met' : 'MISSED'}]`,
  );
  return lines;
}
