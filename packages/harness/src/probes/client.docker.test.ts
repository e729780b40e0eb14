// The in-pod client for real: inside the real demo image (built on the local base like the app
// container tests), run with `docker exec` in an idle container the way `kubectl exec` runs it in a
// probe pod, against real servers on a Docker network that answer, refuse, reset, stay silent and
// refuse with each mesh's 403. Each answer is classified as the runner would.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { knownDenySignatures, meshPlugin } from '@meshproof/render';
import { bundleImage } from '../../../../apps/shared/src/bundle.ts';
import type { TaskContext } from '../registry.ts';
import type { ClusterPlan, Evidence } from '../step.ts';
import { classify } from './classify.ts';
import type { RequestEvidence } from './evidence.ts';
import type { Probe } from './matrix.ts';
import { plannedProbe, probeArgv, ZERO_TRUST_PROBES } from './steps.ts';
import { ZERO_TRUST_TASKS } from './tasks.ts';
import { IDLE_COMMAND } from './workloads.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BASE = process.env.BASE_IMAGE ?? 'meshproof/base-node24:local';
const id = randomBytes(4).toString('hex');
const IMAGE = `meshproof/backend:probe-test-${id}`;
const NETWORK = `meshproof-probe-test-${id}`;
const SERVER = `meshproof-probe-server-${id}`;
const CLIENT = `meshproof-probe-client-${id}`;

const docker = (...args: string[]) => run('docker', args, { maxBuffer: 16 << 20 });

async function dockerProblem(): Promise<string | undefined> {
  try {
    await docker('info', '--format', '{{.ServerVersion}}');
    return undefined;
  } catch (err) {
    return `no Docker engine reachable (${String(err).split('\n')[0]}); CI starts one with scripts/ci-setup.sh`;
  }
}

// Real servers, one behaviour per port, on node:net/node:http in the same image. 8002 has no listener.
const SERVERS = String.raw`
const http = require('node:http'), net = require('node:net');
const answer = (port, status, body, headers = {}) => http.createServer((req, res) => {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers }); res.end(body);
}).listen(port);
answer(8001, 200, '{"service":"backend"}', { 'content-type': 'application/json', 'x-app-version': 'v1' });
net.createServer((s) => s.resetAndDestroy()).listen(8003);
net.createServer((s) => s.on('data', () => {})).listen(8004);
answer(8005, 403, 'RBAC: access denied', { 'content-type': 'text/plain', server: 'envoy' });
answer(8006, 403, '');
answer(8007, 403, 'Access denied\r\n', { 'content-type': 'text/plain' });
answer(8008, 503, 'no healthy upstream', { 'content-type': 'text/plain', server: 'envoy' });
net.createServer((s) => s.once('data', () => s.end())).listen(8009);
answer(8010, 404, '');
// Answers as the version the request's x-version header names (v1 without it), like a header route.
http.createServer((req, res) => {
  res.writeHead(200, { 'content-length': 2, 'x-app-version': req.headers['x-version'] ?? 'v1' }); res.end('ok');
}).listen(8011);
process.on('SIGTERM', () => process.exit(0));
console.log('listening');
`;

const skip = await dockerProblem();

before(async () => {
  if (skip) return;
  await run('bash', [`${ROOT}apps/images/build-base.sh`, BASE]);
  await bundleImage(`${ROOT}apps/backend`);
  await docker(
    'build',
    '-q',
    '-f',
    `${ROOT}apps/images/Dockerfile`,
    '--build-arg',
    `BASE_IMAGE=${BASE}`,
    '--build-arg',
    'APP=backend',
    '-t',
    IMAGE,
    `${ROOT}apps`,
  );
  await docker('network', 'create', NETWORK);
  const hardened = [
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--network',
    NETWORK,
  ];
  await docker(
    'run',
    '-d',
    '--name',
    SERVER,
    '--network-alias',
    'server',
    ...hardened,
    '--entrypoint',
    '/nodejs/bin/node',
    IMAGE,
    '-e',
    SERVERS,
  );
  // The client container runs exactly the probe pods' idle command.
  const [entrypoint, ...args] = IDLE_COMMAND as [string, ...string[]];
  await docker('run', '-d', '--name', CLIENT, ...hardened, '--entrypoint', entrypoint, IMAGE, ...args);
  for (let i = 0; i < 50; i++) {
    const { stdout } = await docker('logs', SERVER);
    if (stdout.includes('listening')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the test servers did not start');
});

after(async () => {
  if (skip) return;
  await docker('rm', '-f', SERVER, CLIENT).catch(() => {});
  await docker('network', 'rm', NETWORK).catch(() => {});
  await docker('image', 'rm', '-f', IMAGE).catch(() => {});
});

/** /proc/net/tcp addresses are little-endian hex: 0100007F:1F90 is 127.0.0.1:8080. */
const isLoopback = (local: string) => {
  const host = local.split(':')[0] ?? '';
  return host.length === 8 ? host.endsWith('7F') : host === '00000000000000000000000001000000';
};

/** `kubectl exec … -- /nodejs/bin/node /app/probe.mjs …`, with docker exec instead. */
// Generous by default: on a loaded machine Docker's DNS and the exec'd Node can take over a second, and
// a probe that should be refused or answered must not hit its own timeout first.
async function probe(url: string, method = 'GET', timeoutMs = 6000): Promise<RequestEvidence> {
  const { stdout } = await docker(
    'exec',
    CLIENT,
    '/nodejs/bin/node',
    '/app/probe.mjs',
    '--method',
    method,
    '--url',
    url,
    '--timeout-ms',
    String(timeoutMs),
  );
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one JSON line, got: ${stdout}`);
  return JSON.parse(lines[0] as string) as RequestEvidence;
}

const SIGNATURES = knownDenySignatures();
const outcome = (e: RequestEvidence) => {
  const c = classify(e, SIGNATURES);
  return c.signature ? `${c.outcome}/${c.signature}` : c.outcome;
};

test('answers: the app, Envoy RBAC, Linkerd 403/404, Cilium, a 503', { skip }, async () => {
  const [ok, rbac, linkerd, cilium, unavailable, noRoute] = await Promise.all([
    probe('http://server:8001/'),
    probe('http://server:8005/', 'OPTIONS'),
    probe('http://server:8006/'),
    probe('http://server:8007/'),
    probe('http://server:8008/'),
    probe('http://server:8010/'),
  ]);
  assert.equal(outcome(ok), 'ALLOWED');
  assert.equal(ok.status, 200);
  assert.equal(ok.connected, true);
  assert.equal(ok.phase, 'done');
  assert.equal(ok.headers['x-app-version'], 'v1');
  assert.equal(ok.body, '{"service":"backend"}');
  assert.match(ok.remoteAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.ok((ok.timings.lookupMs ?? -1) >= 0 && (ok.timings.connectMs ?? -1) >= (ok.timings.lookupMs ?? 0));

  assert.equal(outcome(rbac), 'DENIED_L7/envoy-rbac');
  assert.equal(rbac.method, 'OPTIONS');
  assert.deepEqual(
    { status: rbac.status, body: rbac.body, type: rbac.headers['content-type'], server: rbac.headers.server },
    { status: 403, body: 'RBAC: access denied', type: 'text/plain', server: 'envoy' },
  );
  assert.equal(outcome(linkerd), 'DENIED_L7/linkerd-forbidden');
  assert.deepEqual([linkerd.status, linkerd.bodyBytes, linkerd.headers['content-length']], [403, 0, '0']);
  assert.equal(outcome(cilium), 'DENIED_L7/cilium-access-denied');
  assert.equal(cilium.body, 'Access denied\r\n');
  assert.equal(outcome(unavailable), 'AMBIGUOUS_5XX');
  assert.equal(unavailable.body, 'no healthy upstream');
  assert.equal(outcome(noRoute), 'DENIED_L7/linkerd-no-route');
});

// Long enough that the lookup and connect finish first even on a starved machine (the probe must be
// connected and waiting for the response when it gives up), short enough to keep the test quick.
const SILENCE_MS = 3000;

test('no answer: refused, reset after accept, closed after accept, silence', { skip }, async () => {
  const [refused, reset, closed, silent] = await Promise.all([
    probe('http://server:8002/'),
    probe('http://server:8003/'),
    probe('http://server:8009/'),
    probe('http://server:8004/', 'GET', SILENCE_MS),
  ]);
  assert.equal(outcome(refused), 'ERROR');
  assert.deepEqual([refused.connected, refused.error?.code], [false, 'ECONNREFUSED']);

  assert.equal(outcome(reset), 'DENIED_RESET');
  // Whether Node saw 'connect' before the RST is a race: the code says it was accepted (not refused).
  assert.deepEqual([reset.status, reset.error?.code], [undefined, 'ECONNRESET']);
  assert.equal(outcome(closed), 'DENIED_RESET');
  assert.deepEqual([closed.connected, closed.error?.message], [true, 'socket hang up']);

  assert.equal(outcome(silent), 'DENIED_DROP');
  assert.deepEqual([silent.connected, silent.phase, silent.error?.code], [true, 'response', 'ETIMEDOUT']);
  // Never before the timeout; and ended by it (ETIMEDOUT above is only our timer's code), not by some
  // far longer default: a timer that fires late on a busy machine still stays under twice its length.
  assert.match(silent.error?.message ?? '', new RegExp(`no answer within ${SILENCE_MS} ms`));
  const total = silent.timings.totalMs;
  assert.ok(total >= SILENCE_MS && total < 2 * SILENCE_MS, `${total} ms`);
});

test('--header is sent on every request, --count sends that many, one JSON line each', { skip }, async () => {
  const exec = async (...extra: string[]) => {
    const { stdout } = await docker(
      'exec',
      CLIENT,
      '/nodejs/bin/node',
      '/app/probe.mjs',
      '--url',
      'http://server:8011/',
      ...extra,
    );
    return stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RequestEvidence);
  };
  const [matched, plain] = await Promise.all([
    exec('--header', 'X-Version: v2', '--count', '5'),
    exec('--count', '3'),
  ]);
  assert.deepEqual(
    matched.map((e) => e.headers['x-app-version']),
    ['v2', 'v2', 'v2', 'v2', 'v2'],
  );
  assert.deepEqual(
    plain.map((e) => e.headers['x-app-version']),
    ['v1', 'v1', 'v1'],
  );
  assert.ok(matched.every((e) => e.status === 200 && e.phase === 'done'));
  // Bad arguments: exit 2 with the reason, nothing on stdout.
  await assert.rejects(
    exec('--header', 'host:evil'),
    (err: { code?: number; stderr?: string; stdout?: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr ?? '', /--header: expected name:value/);
      assert.equal(err.stdout, '');
      return true;
    },
  );
});

test('DNS failure is an ERROR, not a denial', { skip }, async () => {
  const e = await probe('http://no-such-service.invalid:8080/');
  assert.equal(outcome(e), 'ERROR');
  assert.equal(e.connected, false);
  assert.match(e.error?.code ?? '', /^(ENOTFOUND|EAI_AGAIN)$/);
});

test('the probe task runs each planned argv in the image: controls first, refusals judged per mesh', {
  skip,
}, async () => {
  const base = { from: 'client', method: 'GET', path: '/', why: 'test', controls: [] as string[] };
  const source = { namespace: 'shop', target: 'pod/client', container: 'probe' };
  const p = (
    id: string,
    to: string,
    port: number,
    expect: 'allow' | 'deny',
    controls: string[] = [],
  ): Probe => ({
    ...base,
    id,
    to,
    url: `http://server:${port}/`,
    expect,
    caller: expect === 'allow' ? 'allowed' : 'wrong-identity',
    source,
    controls,
  });
  const probes = [
    p('up', 'a', 8001, 'allow'),
    p('dropped', 'a', 8004, 'deny', ['up']), // silence after a passing control: a drop
    p('envoy', 'a', 8005, 'deny', ['up']), // Envoy's 403 on a cluster without Envoy
    p('down', 'b', 8002, 'allow'), // refused: the control fails
    p('unproven', 'b', 8004, 'deny', ['down']), // so silence proves nothing
  ];
  const retry = { intervalMs: 100, boundMs: 3000, consecutive: 2, requestTimeoutMs: 300 };
  const target = { kubeconfig: null, context: 'kind-test' };
  const cluster: ClusterPlan = {
    name: 'test',
    mesh: 'none',
    target,
    existing: false,
    probes: probes.map(plannedProbe),
  };
  const execs: string[][] = [];
  const evidence: Evidence[] = [];
  const ctx = {
    cluster,
    signal: new AbortController().signal,
    log: () => {},
    evidence: (e: Evidence) => evidence.push(e),
    // kubectl exec → docker exec into the idle client: the command after `--` runs exactly as planned.
    exec: async (argv: string[]) => {
      execs.push(argv);
      const command = argv.slice(argv.indexOf('--') + 1);
      try {
        const { stdout, stderr } = await docker('exec', CLIENT, ...command);
        return { code: 0, signal: null, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? 1, signal: null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    },
  } as unknown as TaskContext;
  const { denials } = meshPlugin('none').zeroTrust;
  const args = {
    mesh: 'none',
    refusals: { classes: [...denials.classes], l7: denials.l7.map((d) => d.id) },
    retry,
    execTimeoutMs: 10_000,
    probes: probes.map((x) => ({ id: x.id, controls: x.controls })),
    argv: Object.fromEntries(probes.map((x) => [x.id, probeArgv(x, target, retry.requestTimeoutMs)])),
  };
  const run = ZERO_TRUST_TASKS[ZERO_TRUST_PROBES];
  await assert.rejects(run(args, ctx), /3 of 5 probe\(s\) failed: envoy, down, unproven/);
  assert.deepEqual(execs[0]?.slice(0, 10), [
    'kubectl',
    '--context',
    'kind-test',
    'exec',
    '-n',
    'shop',
    'pod/client',
    '-c',
    'probe',
    '--',
  ]);
  const results = evidence.map((e) => {
    const outcome = e.outcome as { class: string };
    return [(e.probe as { id: string }).id, e.passed, outcome.class];
  });
  assert.deepEqual(results, [
    ['up', true, 'ALLOWED'],
    ['dropped', true, 'DENIED_DROP'],
    ['envoy', false, 'DENIED_L7'],
    ['down', false, 'ERROR'],
    ['unproven', false, 'DENIED_DROP'],
  ]);
  const record = (id: string) => {
    const e = evidence.find((x) => (x.probe as { id: string }).id === id);
    return e as unknown as {
      outcome: { reason: string; attempts: number };
      attempts: { evidence: RequestEvidence }[];
    };
  };
  assert.match(record('envoy').outcome.reason, /DENIED_L7 is not how this mesh refuses/);
  assert.match(record('unproven').outcome.reason, /proves nothing before an allow probe/);
  const { attempts, outcome } = record('up');
  assert.equal(outcome.attempts, attempts.length);
  assert.equal(attempts.length, 2, 'two in a row, then done');
  assert.equal(attempts[0]?.evidence.status, 200);
});

test('the idle probe container listens on nothing and stops on SIGTERM', { skip }, async () => {
  // /proc/net/tcp{,6}: state 0A is LISTEN. Nothing in the client's network namespace may accept.
  const { stdout } = await docker(
    'exec',
    CLIENT,
    '/nodejs/bin/node',
    '-e',
    "const fs = require('node:fs'); for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) { try { process.stdout.write(fs.readFileSync(f, 'utf8')); } catch {} }",
  );
  // Loopback is left out: Docker's embedded DNS listens on 127.0.0.11 in every container of a
  // user network, and no other workload can reach a loopback socket anyway.
  const listening = stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[3] === '0A' && !isLoopback(f[1] ?? ''));
  assert.deepEqual(listening, []);
  const started = Date.now();
  await docker('stop', '-t', '10', CLIENT);
  assert.ok(
    Date.now() - started < 8000,
    'the idle command exits on SIGTERM, not after the 10 s kill timeout',
  );
  const { stdout: code } = await docker('inspect', '-f', '{{.State.ExitCode}}', CLIENT);
  assert.equal(code.trim(), '0');
});
