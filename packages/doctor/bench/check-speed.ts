// Wall time of `meshproof check` over all rendered clusters (clusters/), or, before the renderer
// has produced any, over the doctor fixtures plus a synthesized set of a few hundred documents.
// Prints the cold in-process run, the median of warm runs (schemas compiled, files re-read and
// re-parsed each time) and one end-to-end CLI process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, findMirror, findRepoRoot, openValidator, syncSchemas } from '@meshproof/schemas';
import { runChecks } from '../src/index.ts';

const root = findRepoRoot(import.meta.dirname);
const WARM_RUNS = 5;

function app(i: number): string {
  const ns = `team-${i}`;
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: ${ns}}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec:
      serviceAccountName: web
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: web
          image: ghcr.io/example/web:1.${i}.0
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
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
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${ns}}
spec:
  parentRefs: [{group: "", kind: Service, name: web, port: 8080}]
  rules: [{backendRefs: [{name: web, port: 8080}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: ${ns}}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: web, namespace: ${ns}}
spec:
  targetRefs: [{kind: Service, group: "", name: web}]
  rules: [{from: [{source: {principals: [cluster.local/ns/${ns}/sa/web]}}], to: [{operation: {methods: [GET]}}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web, namespace: ${ns}}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingress: [{fromEndpoints: [{matchLabels: {app: client}}], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]
`;
}

function synthesize(dir: string): void {
  for (let c = 0; c < 3; c++) {
    const cluster = join(dir, 'clusters', `synthetic-${c}`, 'apps');
    mkdirSync(cluster, { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(cluster, `app-${i}.yaml`), app(c * 100 + i));
  }
}

async function schemaCache(): Promise<string | undefined> {
  const cache = defaultCacheDir(root);
  if (existsSync(join(cache, 'manifest.json'))) return cache;
  const mirror = findMirror(root);
  if (!mirror) return undefined;
  const tmp = join(mkdtempSync(join(tmpdir(), 'meshproof-bench-')), 'schemas');
  await syncSchemas({ cacheDir: tmp, mirror });
  return tmp;
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

const rendered = existsSync(join(root, 'clusters'));
let scratch: string | undefined;
let paths: string[];
if (rendered) paths = [join(root, 'clusters')];
else {
  scratch = mkdtempSync(join(tmpdir(), 'meshproof-bench-input-'));
  synthesize(scratch);
  paths = [join(root, 'packages', 'doctor', 'src', 'checks', 'fixtures'), join(scratch, 'clusters')];
}

const cache = await schemaCache();
const validator = cache ? openValidator(cache) : undefined;
let start = process.hrtime.bigint();
const first = await runChecks({ paths, cwd: root, validator });
const cold = ms(start);
const warm: number[] = [];
for (let i = 0; i < WARM_RUNS; i++) {
  start = process.hrtime.bigint();
  await runChecks({ paths, cwd: root, validator });
  warm.push(ms(start));
}
warm.sort((a, b) => a - b);
const median = warm[Math.floor(warm.length / 2)] ?? Number.NaN;

const cliArgs = ['packages/cli/src/main.ts', 'check', ...paths, '--format', 'json'];
if (cache) cliArgs.push('--schemas', cache);
else cliArgs.push('--skip-schemas');
start = process.hrtime.bigint();
const cli = spawnSync(process.execPath, cliArgs, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
const cliMs = ms(start);

console.log(`input: ${rendered ? 'clusters/ (rendered)' : 'doctor fixtures + synthesized clusters'}`);
console.log(
  `  ${first.files} files, ${first.objects} objects, ${first.clusters} cluster sets, ${first.findings.length} findings`,
);
console.log(
  `  schemas: ${validator ? `${validator.kindCount} CRD kind versions` : 'skipped (no cache and no mirror)'}`,
);
console.log(`check cold (in-process, first run): ${cold.toFixed(0)} ms`);
console.log(
  `check warm (median of ${WARM_RUNS}): ${median.toFixed(0)} ms  [goal < 2000 ms: ${median < 2000 ? 'met' : 'MISSED'}]`,
);
console.log(`check CLI process (node startup included, exit ${cli.status}): ${cliMs.toFixed(0)} ms`);
if (scratch) rmSync(scratch, { recursive: true, force: true });
