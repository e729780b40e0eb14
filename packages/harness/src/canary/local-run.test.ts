// The observer on a real local run, no mesh: the frontend and backend containers (v1 healthy, v2
// healthy, v2 with FAULT_ERROR_RATE=0.5) behind weighted-proxy.ts, the sampler running inside the
// frontend's container exactly as it runs in the pod, while this test steps the weights the way
// Flagger would and polls them the way the runner polls a Canary. The same observeRollout /
// analyseRollout code judges the split and the blast radius. The proxy also answers as the default
// spec's `catalog` (a network alias of its cluster DNS name), so the header route step's planned
// client argv runs unchanged in the frontend container and the same task judges it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { loadPlatform } from '@meshproof/spec';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { GenericContainer, Network, Wait } from 'testcontainers';
import {
  BASE_IMAGE,
  buildAppImage,
  dockerProblem,
  ensureBaseImage,
  HardenedContainer,
  removeAll,
} from '../../../../apps/frontend/test/support/images.ts';
import type { TaskContext } from '../registry.ts';
import type { Evidence, TaskAction } from '../step.ts';
import { analyseRollout } from './analyse.ts';
import { headerRouteSteps, ROUTE_REQUESTS } from './header-route-steps.ts';
import { headerRouteTask } from './header-route-task.ts';
import { type ExecResult, type Observation, observeRollout } from './observe.ts';
import { resetCommand, samplerCommand, stopCommand } from './sampler.ts';
import { pct } from './split.ts';
import type { CanaryPoll } from './timeline.ts';

const skip = await dockerProblem();
const PORT = 8080;
const ADMIN = 9090;
const id = `${process.pid}-${Date.now().toString(36)}`;
const started: StartedTestContainer[] = [];
let network: StartedNetwork | undefined;
let frontend: StartedTestContainer;
let proxy: StartedTestContainer;

const app = (image: string, alias: string, env: Record<string, string>) =>
  new HardenedContainer(image)
    .withName(`meshproof-canary-${alias}-${id}`)
    .withNetwork(network as StartedNetwork)
    .withNetworkAliases(alias)
    .withEnvironment(env)
    .withExposedPorts(PORT)
    .withTmpFs({ '/tmp': 'rw,size=16m' }) // the Deployment's emptyDir: where the sampler's stop file goes
    .withWaitStrategy(Wait.forHttp('/readyz', PORT).forStatusCode(200))
    .withStartupTimeout(30_000);

before(async () => {
  if (skip) return;
  ensureBaseImage();
  const [backendImage, frontendImage] = await Promise.all([
    buildAppImage('backend', 'meshproof/backend:canary-test'),
    buildAppImage('frontend', 'meshproof/frontend:canary-test'),
  ]);
  network = await new Network().start();
  const backends = await Promise.all([
    app(backendImage, 'backend-v1', { VERSION: 'v1' }).start(),
    app(backendImage, 'backend-v2', { VERSION: 'v2' }).start(),
    app(backendImage, 'backend-v2-faulty', { VERSION: 'v2', FAULT_ERROR_RATE: '0.5' }).start(),
  ]);
  started.push(...backends);
  proxy = await new GenericContainer(BASE_IMAGE)
    .withName(`meshproof-canary-proxy-${id}`)
    .withNetwork(network)
    .withNetworkAliases('backend', 'catalog.shop.svc.cluster.local')
    .withCopyContentToContainer([
      {
        content: readFileSync(new URL('./weighted-proxy.ts', import.meta.url)),
        target: '/proxy/weighted-proxy.ts',
      },
    ])
    .withEntrypoint(['/nodejs/bin/node'])
    .withCommand(['/proxy/weighted-proxy.ts'])
    .withEnvironment({
      UPSTREAMS: `v1=http://backend-v1:${PORT},v2=http://backend-v2:${PORT},v2-faulty=http://backend-v2-faulty:${PORT}`,
    })
    .withExposedPorts(PORT, ADMIN)
    .withWaitStrategy(Wait.forHttp('/state', ADMIN).forStatusCode(200))
    .withStartupTimeout(30_000)
    .start();
  started.push(proxy);
  frontend = await app(frontendImage, 'frontend', {
    VERSION: 'f1',
    BACKEND_URL: `http://backend:${PORT}`,
  }).start();
  started.push(frontend);
});

after(async () => {
  if (skip) return;
  await removeAll(started, network);
});

const dockerExec = (argv: string[]): Promise<ExecResult> =>
  new Promise((resolve) => {
    execFile('docker', ['exec', frontend.getId(), ...argv], { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

const admin = () => `http://${proxy.getHost()}:${proxy.getMappedPort(ADMIN)}/state`;

type State = {
  weights: Record<string, number>;
  phase: string;
  mode: 'weighted' | 'ignore';
  routes?: { header: string; value: string; upstream: string }[];
};
async function setState(s: State): Promise<void> {
  const res = await fetch(admin(), { method: 'PUT', body: JSON.stringify(s) });
  assert.equal(res.status, 204, await res.text());
}

/** Requests the proxy routed since the last weight change (weighted-proxy.ts counts them). */
async function routed(): Promise<number> {
  return ((await (await fetch(admin())).json()) as { routed: number }).routed;
}

/** What Flagger's status would say: the share of weight on v2 upstreams. */
async function poll(): Promise<CanaryPoll> {
  const s = (await (await fetch(admin())).json()) as State;
  const total = Object.values(s.weights).reduce((a, w) => a + w, 0);
  const canary = Object.entries(s.weights)
    .filter(([name]) => name.startsWith('v2'))
    .reduce((a, [, w]) => a + w, 0);
  return { t: Date.now(), phase: s.phase, weight: Math.round((canary / total) * 100) };
}

const STEP_MS = 3500;
// ~600 answers per step on an idle machine; a busy test run (2 cores, other containers) gets far
// fewer, and the checks only need enough for the interval to mean something.
const MIN_ANSWERS = 60;
const SETTLE_MS = 500;
// A step ends once STEP_MS has passed AND the proxy routed this many requests after the settle time
// (each fanout call is one routed request and one versioned answer; twice the floor leaves room for
// clock skew between the container and this process and calls in flight at the step's edges).
const MIN_ROUTED = 2 * MIN_ANSWERS;
// On a starved machine a step waits for traffic up to this long, then the rollout fails saying so.
const STEP_DEADLINE_MS = 20_000;
// Beyond the longest rollout the deadlines allow (4 steps): a hang fails the test, not the run.
const TEST_TIMEOUT_MS = 1000 + 4 * STEP_DEADLINE_MS + 40_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds a weight until it has carried enough traffic: at least STEP_MS and MIN_ROUTED after settling. */
async function holdStep(weight: number): Promise<void> {
  const started = Date.now();
  await sleep(SETTLE_MS);
  const base = await routed();
  for (;;) {
    const n = (await routed()) - base;
    const elapsed = Date.now() - started;
    if (elapsed >= STEP_MS && n >= MIN_ROUTED) return;
    if (elapsed >= STEP_DEADLINE_MS)
      throw new Error(
        `step at ${weight} %: ${elapsed} ms after the weight change, only ${n} requests routed since settling, need ${MIN_ROUTED} (is the sampler starved or stuck?)`,
      );
    await sleep(100);
  }
}

/** Steps the proxy like Flagger steps a route, while the sampler runs in the frontend container. */
async function rollout(
  canary: 'v2' | 'v2-faulty',
  weights: number[],
  mode: State['mode'],
  end: string,
): Promise<Observation> {
  await setState({ weights: { v1: 100 }, phase: 'Initialized', mode: 'weighted' });
  await dockerExec(resetCommand());
  // Bounded by the step deadlines: the observer and the sampler outlive the slowest allowed rollout.
  const limitMs = 1000 + weights.length * STEP_DEADLINE_MS + 10_000;
  let stepping: Promise<void> = Promise.resolve();
  const obs = await observeRollout({
    startSampler: () =>
      dockerExec(
        samplerCommand({
          url: `http://127.0.0.1:${PORT}/api/fanout`,
          calls: 20,
          periodMs: 100,
          maxMs: limitMs + 10_000,
        }),
      ),
    stopSampler: async () => {
      await dockerExec(stopCommand());
    },
    poll,
    done: (p) => p.phase === end,
    pollMs: 250,
    timeoutMs: limitMs,
    begin: async () => {
      stepping = (async () => {
        try {
          await sleep(1000);
          for (const w of weights) {
            await setState({ weights: { v1: 100 - w, [canary]: w }, phase: 'Progressing', mode });
            await holdStep(w);
          }
        } finally {
          // Ends the observation either way; a failed step is rethrown below.
          await setState({ weights: { v1: 100 }, phase: end, mode: 'weighted' });
        }
      })();
      stepping.catch(() => {}); // observed after observeRollout returns
    },
  });
  await stepping;
  return obs;
}

const table = (a: ReturnType<typeof analyseRollout>) =>
  a.split.steps
    .map(
      (s) =>
        `${s.step.phase} ${s.step.weight} %: n=${s.versioned} share ${pct(s.share)} [${pct(s.ci.low)}, ${pct(s.ci.high)}] errors ${s.errors} → ${s.status}`,
    )
    .join('\n');

test('a router that honours the weights: every step within its interval, 0 errors over the rollout', {
  skip,
  timeout: TEST_TIMEOUT_MS,
}, async (t) => {
  const obs = await rollout('v2', [10, 20, 30, 50], 'weighted', 'Succeeded');
  const a = analyseRollout(obs, { canaryVersion: 'v2', settleMs: SETTLE_MS });
  t.diagnostic(table(a));
  assert.ok(obs.settled);
  assert.equal(a.split.judged, 4, table(a));
  assert.ok(a.split.ok, a.split.problems.join('\n'));
  assert.ok(
    a.split.steps.filter((s) => s.status === 'ok').every((s) => s.versioned >= MIN_ANSWERS),
    table(a),
  );
  assert.equal(a.totals.errors, 0);
  assert.equal(a.totals.clientFailures, 0);
});

test('a router that ignores the weights (round-robin) is flagged on every step but 50 %', {
  skip,
  timeout: TEST_TIMEOUT_MS,
}, async (t) => {
  const obs = await rollout('v2', [10, 30], 'ignore', 'Succeeded');
  const a = analyseRollout(obs, { canaryVersion: 'v2', settleMs: SETTLE_MS });
  t.diagnostic(table(a));
  assert.equal(a.split.ok, false);
  assert.deepEqual(
    a.split.steps.filter((s) => s.status === 'flagged').map((s) => s.step.weight),
    [10, 30],
  );
  assert.ok(a.split.steps.every((s) => s.status !== 'flagged' || Math.abs(s.share - 0.5) < 0.05));
});

test('a faulty canary (FAULT_ERROR_RATE=0.5, no retries): the client sees w·f per step, as predicted', {
  skip,
  timeout: TEST_TIMEOUT_MS,
}, async (t) => {
  const obs = await rollout('v2-faulty', [10, 20], 'weighted', 'Failed');
  const a = analyseRollout(obs, {
    canaryVersion: 'v2',
    settleMs: SETTLE_MS,
    fault: { errorRate: 0.5, retries: 0 },
  });
  const blast = a.blast;
  assert.ok(blast);
  for (const s of blast.steps) {
    t.diagnostic(
      `weight ${s.step.weight} %: ${s.errors}/${s.samples} = ${pct(s.rate)} [${pct(s.ci.low)}, ${pct(s.ci.high)}], predicted ${pct(s.predicted.noRetry)}`,
    );
  }
  t.diagnostic(
    `total ${blast.total.errors}/${blast.total.samples} = ${pct(blast.total.rate)}, predicted ${pct(blast.total.predicted.noRetry)}`,
  );
  assert.deepEqual(
    blast.steps.map((s) => s.step.weight),
    [10, 20],
  );
  assert.ok(
    blast.steps.every((s) => s.samples >= MIN_ANSWERS && s.consistent),
    JSON.stringify(blast.steps),
  );
  assert.ok(blast.total.consistent);
  // Every failed call names the faulty version (the frontend's errorVersions), none the primary.
  const failed = obs.sampler.samples.filter((s) => !s.ok);
  assert.ok(failed.length > 0 && failed.every((s) => s.version === 'v2'));
  // The prediction must be able to fail: the same errors are far from what a 0.1 fault rate predicts.
  const wrong = analyseRollout(obs, {
    canaryVersion: 'v2',
    settleMs: SETTLE_MS,
    fault: { errorRate: 0.1, retries: 0 },
  });
  assert.equal(wrong.blast?.total.consistent, false);
});

test('header routes: the planned client argv on a real run; a router that ignores or leaks is caught', {
  skip,
  timeout: 120_000,
}, async () => {
  const loaded = await loadPlatform(new URL('../../../../meshproof.config.ts', import.meta.url).pathname);
  assert.ok(loaded.ok);
  const cluster = loaded.platform.clusters.find((c) => c.mesh === 'linkerd');
  assert.ok(cluster);
  const [routeStep] = headerRouteSteps(loaded.platform, cluster, { kubeconfig: null, context: 'kind-test' });
  assert.ok(routeStep && routeStep.skip === undefined);
  const { args } = routeStep.actions[0] as TaskAction;
  let evidence: Evidence[] = [];
  const ctx = {
    log: () => {},
    evidence: (e: Evidence) => evidence.push(e),
    // kubectl exec → docker exec into the frontend container: the command after `--` runs as planned.
    exec: async (argv: string[]) => ({
      ...(await dockerExec(argv.slice(argv.indexOf('--') + 1))),
      signal: null,
    }),
  } as unknown as TaskContext;
  const route = [{ header: 'x-version', value: 'v2', upstream: 'v2' }];
  const counts = () => evidence.map((e) => [e.withHeader, e.withoutHeader]);

  await setState({ weights: { v1: 100 }, phase: 'Succeeded', mode: 'weighted', routes: route });
  await headerRouteTask(args, ctx);
  assert.deepEqual(counts(), [[{ v2: ROUTE_REQUESTS }, { v1: ROUTE_REQUESTS }]]);

  // Ignores the header: every request goes where the weights say.
  evidence = [];
  await setState({ weights: { v1: 100 }, phase: 'Succeeded', mode: 'ignore', routes: route });
  await assert.rejects(headerRouteTask(args, ctx), /with x-version: v2: v1 50; every request must reach v2/);
  assert.equal(evidence[0]?.passed, false);

  // Honours the header but lets unmatched requests reach v2 too (a Service spreading over both versions).
  evidence = [];
  await setState({
    weights: { v1: 50, v2: 50 },
    phase: 'Succeeded',
    mode: 'weighted',
    routes: route,
  } as State);
  await assert.rejects(
    headerRouteTask(args, ctx),
    /without x-version: v2: v1 25, v2 25; requests must reach only v1 \(the versions with weight\)/,
  );
  assert.deepEqual(counts(), [[{ v2: ROUTE_REQUESTS }, { v1: 25, v2: 25 }]]);
});
