// Both images on a real Docker engine: built from the local base, run as non-root with a
// read-only root FS, frontend → backend over a Docker network, and SIGTERM under steady load.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { getContainerRuntimeClient, Network, Wait } from 'testcontainers';
import {
  buildAppImage,
  dockerProblem,
  ensureBaseImage,
  HardenedContainer,
  removeAll,
} from './support/images.ts';
import { startLoad } from './support/load.ts';

const skip = await dockerProblem();
const PORT = 8080;
let network: StartedNetwork;
let backendImage = '';
let frontendImage = '';
const started: StartedTestContainer[] = [];
let backendV1: StartedTestContainer | undefined;
let frontendC: StartedTestContainer | undefined;

function run(image: string, alias: string, env: Record<string, string>): Promise<StartedTestContainer> {
  return new HardenedContainer(image)
    .withNetwork(network)
    .withNetworkAliases(alias)
    .withEnvironment({ SHUTDOWN_DELAY_MS: '1500', DRAIN_TIMEOUT_MS: '10000', ...env })
    .withExposedPorts(PORT)
    .withAutoRemove(false)
    .withWaitStrategy(Wait.forHttp('/readyz', PORT).forStatusCode(200))
    .withStartupTimeout(30_000)
    .start()
    .then((c) => {
      started.push(c);
      return c;
    });
}

const url = (c: StartedTestContainer) => `http://${c.getHost()}:${c.getMappedPort(PORT)}`;

before(async () => {
  if (skip) return;
  ensureBaseImage();
  [backendImage, frontendImage] = await Promise.all([
    buildAppImage('backend', 'meshproof/backend:test'),
    buildAppImage('frontend', 'meshproof/frontend:test'),
  ]);
  network = await new Network().start();
});

after(async () => {
  if (skip) return;
  await removeAll(started, network);
});

/** Sends SIGTERM under load; returns the load report and the container's exit code. */
async function sigtermUnderLoad(container: StartedTestContainer, path: string) {
  const load = startLoad(url(container), path, 8);
  await new Promise((r) => setTimeout(r, 1500)); // steady state first
  const client = await getContainerRuntimeClient();
  const handle = client.container.getById(container.getId());
  const signalledAt = Date.now();
  load.markSignal();
  await handle.kill({ signal: 'SIGTERM' });
  const report = await load.finished();
  const { StatusCode } = (await handle.wait()) as { StatusCode: number };
  return { report, exitCode: StatusCode, exitAfterMs: Date.now() - signalledAt };
}

test('images run as non-root on a read-only root FS; frontend reaches both backends over the network', {
  skip,
}, async () => {
  const [v1, v2] = await Promise.all([
    run(backendImage, 'backend-v1', { VERSION: 'v1' }),
    run(backendImage, 'backend-v2', { VERSION: 'v2' }),
  ]);
  const frontend = await run(frontendImage, 'frontend', {
    VERSION: 'f1',
    BACKEND_URL: `http://backend-v1:${PORT},http://backend-v2:${PORT}`,
  });
  const client = await getContainerRuntimeClient();
  for (const c of [v1, v2, frontend]) {
    const info = await client.container.inspect(client.container.getById(c.getId()));
    assert.equal(info.Config.User, '65532:65532');
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
  }
  backendV1 = v1;
  frontendC = frontend;
  const res = await fetch(`${url(frontend)}/api/fanout?n=10`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-app-version'), 'f1');
  const body = (await res.json()) as { versions: Record<string, number>; errors: number };
  assert.deepEqual(body.versions, { v1: 5, v2: 5 });
  const metrics = await (await fetch(`${url(v1)}/metrics`)).text();
  assert.match(metrics, /http_request_duration_seconds_count\{method="GET",path="\/",status="200"\} 5/);
});

test('SIGTERM under steady load: 0 failed requests, in-flight requests finish, exit 0', {
  skip,
}, async (t) => {
  const v1 = backendV1 ?? (await run(backendImage, 'backend-v1', { VERSION: 'v1' }));
  const frontend =
    frontendC ?? (await run(frontendImage, 'frontend', { BACKEND_URL: `http://backend-v1:${PORT}` }));

  // Frontend first: its in-flight fan-outs include calls across the network to the backends.
  const fe = await sigtermUnderLoad(frontend, '/api/fanout?n=4');
  // Then a backend under direct load with slow requests, so some are surely in flight.
  const be = await sigtermUnderLoad(v1, '/delay/200');

  for (const [name, r] of [
    ['frontend', fe],
    ['backend', be],
  ] as const) {
    const line = `${name} SIGTERM drain: sent=${r.report.sent} ok=${r.report.ok} failed=${r.report.failed} in-flight-at-SIGTERM=${r.report.inFlightAtSignal} ok-after-SIGTERM=${r.report.okAfterSignal} exit=${r.exitCode} after ${r.exitAfterMs} ms`;
    t.diagnostic(line);
    console.log(line);
    assert.equal(r.report.failed, 0, `${name}: ${r.report.failures.slice(0, 5).join('; ')}`);
    assert.ok(r.report.ok > 20, `${name}: load was not steady`);
    assert.ok(r.report.inFlightAtSignal > 0, `${name}: nothing was in flight at SIGTERM`);
    assert.ok(r.report.okAfterSignal > 0, `${name}: no request completed after SIGTERM`);
    assert.equal(r.exitCode, 0, `${name} exit code`);
    assert.ok(r.exitAfterMs < 15_000, `${name}: drain must be bounded`);
  }
});
