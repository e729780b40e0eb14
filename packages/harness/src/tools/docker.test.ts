import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import { validSpec } from '../../../spec/src/fixture.ts';
import { checkDocker } from './docker.ts';
import { estimateClusterMemory } from './memory.ts';

// Against the Docker engine of this machine: no fake daemon.

const platformOf = (spec = validSpec()) => {
  const result = validatePlatform(spec);
  assert.ok(result.ok);
  return result.platform;
};

test('a reachable engine with enough memory passes and says what each cluster needs', async () => {
  const platform = platformOf();
  const check = await checkDocker({
    needs: platform.clusters.map((c) => estimateClusterMemory(platform, c)),
  });
  assert.deepEqual(check.problems, []);
  assert.ok(check.memTotalMiB && check.memTotalMiB > 0);
  assert.match(check.lines[0] ?? '', /^Docker \S+: \d+ CPUs, \d+\.\d GiB memory$/);
  assert.deepEqual(
    check.lines.slice(1).map((l) => l.split(' needs about ')[0]),
    platform.clusters.map((c) => c.name),
  );
  const ambient = estimateClusterMemory(platform, platform.clusters[1] ?? assert.fail());
  assert.ok(
    check.lines.includes(
      `kind-istio-ambient needs about ${(ambient.totalMiB / 1024).toFixed(1)} GiB (estimate), Docker has ${((check.memTotalMiB ?? 0) / 1024).toFixed(1)} GiB`,
    ),
  );
});

test('a cluster that needs more memory than the engine has is a problem naming both figures', async () => {
  const spec = validSpec();
  const backend = spec.apps[1];
  assert.ok(backend);
  backend.resources = { cpu: '100m', memory: '64Gi' };
  const platform = platformOf(spec);
  const cluster = platform.clusters[0];
  assert.ok(cluster);
  const check = await checkDocker({ needs: [estimateClusterMemory(platform, cluster)] });
  const need = estimateClusterMemory(platform, cluster).totalMiB;
  assert.ok(need > (check.memTotalMiB ?? 0));
  assert.deepEqual(check.problems, [
    `docker: not enough memory: kind-baseline needs about ${(need / 1024).toFixed(1)} GiB (estimate), Docker has ${((check.memTotalMiB ?? 0) / 1024).toFixed(1)} GiB; give Docker more memory (Docker Desktop: Settings > Resources) or run fewer apps, workers or observability components in the spec`,
  ]);
});

test('an unreachable daemon is reported with what docker said', async () => {
  const check = await checkDocker({
    needs: [],
    env: { ...process.env, DOCKER_HOST: 'tcp://127.0.0.1:1', DOCKER_CONTEXT: '' },
  });
  assert.deepEqual(check.problems, [
    'docker: the daemon is not reachable (Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?); start the Docker daemon, or point DOCKER_HOST (or `docker context use`) at a running engine; on Linux also check that your user may use its socket',
  ]);
});

test('a missing docker CLI says how to install Docker', async () => {
  const check = await checkDocker({ needs: [], docker: 'meshproof-no-such-docker' });
  assert.deepEqual(check.problems, [
    'docker: not on PATH; install Docker Engine (Linux) or Docker Desktop (macOS): https://docs.docker.com/get-started/get-docker/',
  ]);
});
