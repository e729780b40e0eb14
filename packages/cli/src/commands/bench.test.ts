import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildClusterResults,
  HTTP_METRICS,
  hostEnvironment,
  httpTags,
  metricLine,
  pointLine,
  writeClusterResults,
} from '@meshproof/bench';
import { planThenRunWithoutDocker, runCaptured } from '../test-io.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshproof-bench-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A k6 JSON output file whose request i takes base + (i mod 100)/100 ms. */
async function k6File(name: string, baseMs: number, opts: { dropped?: number } = {}): Promise<string> {
  const lines = HTTP_METRICS.map(([n, type, contains]) => metricLine(n, type, contains));
  lines.push(metricLine('dropped_iterations', 'counter', 'default'));
  for (let i = 0; i < 1000; i++) {
    const tags = httpTags('http://backend:8080/', 'measure');
    lines.push(
      pointLine('http_req_duration', new Date(1_800_000_000_000 + i), baseMs + (i % 100) / 100, tags),
    );
    lines.push(pointLine('http_req_failed', new Date(1_800_000_000_000 + i), 0, tags));
  }
  for (let i = 0; i < (opts.dropped ?? 0); i++)
    lines.push(pointLine('dropped_iterations', new Date(), 1, {}));
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

test('bench analyze --json: the documented shape, a 0.3 ms delay found at every percentile', async () => {
  const plain = [await k6File('p1.json', 1), await k6File('p2.json', 1.2), await k6File('p3.json', 0.9)];
  const mesh = [await k6File('m1.json', 1.3), await k6File('m2.json', 1.5), await k6File('m3.json', 1.2)];
  const r = await runCaptured(['bench', 'analyze', '--plain', ...plain, '--mesh', ...mesh, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.plain.count, 3000);
  assert.equal(out.mesh.count, 3000);
  for (const key of ['p50', 'p90', 'p99', 'p999']) {
    assert.equal(typeof out.plain[key], 'number');
    const o = out.overhead[key];
    assert.ok(Math.abs(o.ms - 0.3) < 0.005, `${key} ${o.ms}`);
    assert.ok(o.ci95[0] <= o.ms && o.ms <= o.ci95[1]);
    assert.ok(o.pct > 10 && o.pct < 40);
  }
  assert.match(out.method.resamplingUnit, /repetition pair/);
  const text = await runCaptured(['bench', 'analyze', '--plain', ...plain, '--mesh', ...mesh]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /p50 +\+0\.30\d ms \[\+0\.\d+, \+0\.\d+\]/);
  assert.match(text.stdout, /resampling unit: repetition pair/);
});

test('bench analyze refuses bad input with exit 2 and an invalid run with exit 1', async () => {
  const ok = await k6File('ok.json', 1);
  const usage = async (argv: string[], message: RegExp) => {
    const r = await runCaptured(['bench', 'analyze', ...argv]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  };
  await usage(['--plain', ok], /needs --plain FILE… and --mesh FILE…/);
  await usage(['--plain', ok, ok, '--mesh', ok], /2 plain and 1 mesh files: runs are paired in order/);
  await usage([ok], /give files after --plain or --mesh/);
  await usage(['--plain', ok, '--mesh', ok, '--bogus'], /unknown option "--bogus"/);
  const empty = join(dir, 'empty.json');
  await writeFile(empty, '');
  await usage(['--plain', ok, '--mesh', empty], /empty\.json: empty file/);
  const csv = join(dir, 'run.csv');
  await writeFile(csv, 'metric_name,timestamp\n');
  await usage(['--plain', csv, '--mesh', ok], /run\.csv:1: not k6 JSON output/);
  await usage(['--plain', join(dir, 'missing.json'), '--mesh', ok], /missing\.json: no such file/);
  const dropped = await k6File('dropped.json', 1, { dropped: 3 });
  const r = await runCaptured(['bench', 'analyze', '--plain', ok, '--mesh', dropped]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /1 invalid run\(s\), never averaged in; nothing analysed:\n {2}mesh .*dropped\.json: 3 dropped iterations/,
  );
  assert.equal(r.stdout, '');
});

const repoConfig = fileURLToPath(new URL('../../../../meshproof.config.ts', import.meta.url));

test('bench --help lists the subcommands; an unknown one exits 2', async () => {
  const help = await runCaptured(['bench', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /analyze --plain FILE…[\s\S]*report DIR… --out FILE\.html/);
  assert.equal((await runCaptured(['bench', 'analyse'])).code, 2);
  assert.match(
    (await runCaptured(['bench', 'analyze', '--help'])).stdout,
    /resampling unit is a repetition pair/,
  );
});

test('bench --plan --json: every cluster call in the plan, alternating runs, k6 pinned by digest on load nodes', async () => {
  const r = await runCaptured(['bench', '--plan', '--json', '--config', repoConfig, '--profile', 'quick']);
  assert.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(
    plan.clusters.map((c: { name: string }) => c.name),
    ['kind-baseline', 'kind-istio-ambient', 'kind-istio-sidecar', 'kind-linkerd', 'kind-cilium'],
  );
  assert.match(plan.runDir, /^\.bench\/\d{8}-\d{6}-[0-9a-f]{4}$/);
  // The same runner as e2e: the cluster is created, Flux installed and every layer waited for first.
  const ids = plan.steps.map((s: { id: string }) => s.id);
  const at = (id: string) => ids.indexOf(id);
  assert.ok(at('run/prerequisites/tools') === 1);
  assert.ok(at('kind-istio-ambient/cluster/create') < at('kind-istio-ambient/flux/wait-apps'));
  assert.ok(at('kind-istio-ambient/flux/wait-apps') < at('kind-istio-ambient/bench/load-k6-image'));
  assert.ok(at('kind-istio-ambient/bench/remove') < at('kind-istio-ambient/cluster/delete'));
  assert.ok(!ids.some((id: string) => id.includes('/probes/') || id.includes('/canary/')));
  // Step bounds follow the profile: warm-up + measured seconds plus a fixed margin.
  const quickRun = plan.steps.find((s: { id: string }) => s.id === 'kind-linkerd/bench/run-01-plain');
  assert.equal(quickRun.timeoutMs, (15 + 60 + 240) * 1000);
  assert.equal(quickRun.actions[0].args.deadlineMs, (15 + 60 + 180) * 1000);
  const ambient = plan.steps.filter((s: { cluster: string }) => s.cluster === 'kind-istio-ambient');
  const runs = ambient
    .filter((s: { id: string }) => /\/bench\/run-/.test(s.id))
    .map((s: { id: string }) => s.id.split('/').pop());
  assert.deepEqual(runs, [
    'run-01-plain',
    'run-01-mesh',
    'run-02-mesh',
    'run-02-plain',
    'run-03-plain',
    'run-03-mesh',
  ]);
  const apply = ambient.find((s: { id: string }) => s.id.endsWith('/bench/apply')).actions[0];
  const meshNs = apply.objects.find(
    (o: { kind: string; metadata: { name: string } }) =>
      o.kind === 'Namespace' && o.metadata.name === 'bench-mesh',
  );
  assert.equal(meshNs.metadata.labels['istio.io/dataplane-mode'], 'ambient');
  const plainNs = apply.objects.find(
    (o: { kind: string; metadata: { name: string } }) =>
      o.kind === 'Namespace' && o.metadata.name === 'bench-plain',
  );
  assert.equal(plainNs.metadata.labels['istio.io/dataplane-mode'], undefined);
  const run = ambient.find((s: { id: string }) => s.id.endsWith('/bench/run-01-mesh')).actions[0];
  assert.equal(run.name, 'bench-k6-run');
  const job = run.args.job;
  assert.match(job.spec.template.spec.containers[0].image, /^grafana\/k6:[\d.]+@sha256:[0-9a-f]{64}$/);
  assert.ok(run.args.argv.logs.includes('logs'));
  const backend = apply.objects.find(
    (o: { kind: string; metadata: { namespace?: string } }) =>
      o.kind === 'Deployment' && o.metadata.namespace === 'bench-mesh',
  );
  const platform = await import(repoConfig);
  const cluster = platform.default.clusters.find((c: { name: string }) => c.name === 'kind-istio-ambient');
  const roles = (cluster.nodes?.workers ?? []).map((w: { role: string }) => w.role);
  if (roles.includes('load')) assert.equal(job.spec.template.spec.nodeSelector['meshproof/role'], 'load');
  if (roles.includes('server'))
    assert.equal(backend.spec.template.spec.nodeSelector['meshproof/role'], 'server');
  const results = plan.steps.find((s: { id: string }) => s.id === 'kind-cilium/bench/results').actions[0]
    .args;
  assert.match(results.plainSide, /WireGuard .* plain side included[\s\S]*kind-baseline/);
  const text = await runCaptured(['bench', '--plan', '--config', repoConfig, '--cluster', 'kind-linkerd']);
  assert.equal(text.code, 0);
  assert.match(
    text.stdout,
    /kubectl --kubeconfig \.bench\/[\w-]+\/kubeconfig --context kind-kind-linkerd -n bench-mesh logs job\/bench-k6-01-mesh -c k6/,
  );
  const full = JSON.parse(
    (await runCaptured(['bench', '--plan', '--json', '--config', repoConfig, '--profile', 'full'])).stdout,
  );
  const fullRuns = full.steps.filter((s: { id: string }) => /^kind-linkerd\/bench\/run-/.test(s.id));
  assert.equal(fullRuns.length, 20);
  assert.equal(fullRuns[0].timeoutMs, (30 + 180 + 240) * 1000);
  const bad = await runCaptured(['bench', '--plan', '--config', repoConfig, '--profile', 'huge']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--profile must be one of quick\|full/);
});

test('bench report DIR --out FILE.html writes the page, the Markdown summary and the JSON; a DIR without results exits 2', async () => {
  const cluster = join(dir, 'run', 'kind-linkerd');
  await mkdir(cluster, { recursive: true });
  const runs = [];
  for (let rep = 1; rep <= 2; rep++)
    for (const side of ['plain', 'mesh'] as const)
      runs.push({
        repetition: rep,
        side,
        order: runs.length,
        file: await k6File(`r${rep}-${side}.json`, side === 'mesh' ? 1.1 : 1),
      });
  const results = await buildClusterResults(
    cluster,
    {
      runId: '20261203T080000Z',
      cluster: 'kind-linkerd',
      mesh: 'linkerd',
      label: 'kind-linkerd',
      plainSide: 'outside the mesh',
      meshSide: 'inside the mesh',
      profile: {
        name: 'quick',
        rate: 100,
        durationSeconds: 10,
        warmupSeconds: 5,
        repetitions: 2,
        payloadBytes: 0,
      },
      environment: hostEnvironment(),
    },
    runs,
  );
  await writeClusterResults(cluster, results);
  const out = join(dir, 'report.html');
  const r = await runCaptured(['bench', 'report', join(dir, 'run'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*report\.html, .*report\.md and .*report\.json \(1 result set\(s\)\)/);
  assert.match(await readFile(out, 'utf8'), /Linkerd/);
  assert.match(
    await readFile(join(dir, 'report.md'), 'utf8'),
    /\| kind-linkerd \(linkerd\) \| 2 \| \+0\.100 ms/,
  );
  const none = await runCaptured(['bench', 'report', join(dir, 'nothing-here'), '--out', out]);
  assert.equal(none.code, 2);
  const empty = await runCaptured([
    'bench',
    'report',
    cluster.replace('kind-linkerd', ''),
    '--out',
    join(dir, 'x.txt'),
  ]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--out must name an \.html file/);
});

test('bench runs the plan it prints through the runner engine; a missing prerequisite exits 2 and builds nothing', async () => {
  const { readFileSync, rmSync } = await import('node:fs');
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const runId = `cli-bench-test-${process.pid}`;
  const runDir = join(root, '.bench', runId);
  try {
    const args = [
      join(root, 'packages/cli/src/main.ts'),
      'bench',
      '--config',
      repoConfig,
      '--cluster',
      'kind-linkerd',
      '--run-id',
      runId,
    ];
    const { printed, ran } = planThenRunWithoutDocker(root, args);
    assert.equal(printed.status, 0, printed.stderr);
    assert.equal(ran.status, 2, ran.stdout + ran.stderr);
    assert.match(ran.stderr, /meshproof bench: missing prerequisite \(run\/prerequisites\/docker\)/);
    const handed = JSON.parse(readFileSync(join(runDir, 'plan.json'), 'utf8'));
    assert.deepEqual(JSON.parse(printed.stdout), handed);
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
    assert.deepEqual(
      results.steps
        .filter((s: { status: string }) => s.status !== 'skipped')
        .map((s: { id: string }) => s.id),
      ['run/prerequisites/docker', 'run/cleanup/kind-network-after'],
    );
    // The runner's own results.json beside the cluster folders is not taken for a cluster's results.
    const report = await runCaptured(['bench', 'report', runDir, '--out', join(dir, 'none.html')]);
    assert.equal(report.code, 2);
    assert.match(report.stderr, /no results\.json in it/);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});
