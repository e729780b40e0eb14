import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readManifest } from './cache.ts';
import { loadLock } from './lock.ts';
import { syncSchemas } from './sync.ts';
import { NO_MIRROR, testMirror } from './testing.ts';

describe('schemas sync', { skip: NO_MIRROR }, () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'meshproof-sync-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('offline sync from the mirror writes every source and one schema per kind version', async () => {
    const cacheDir = join(work, 'ok', 'schemas');
    const result = await syncSchemas({ cacheDir, mirror: testMirror as string });
    const lock = loadLock();
    assert.equal(result.files, lock.sources.length);
    for (const s of lock.sources) assert.ok(existsSync(join(cacheDir, 'upstream', s.file)), s.file);
    const keys = new Set(readManifest(cacheDir).kinds.map((k) => `${k.group}/${k.version}/${k.kind}`));
    for (const k of [
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'security.istio.io/v1/AuthorizationPolicy',
      'gateway.networking.k8s.io/v1/HTTPRoute',
      'gateway.networking.k8s.io/v1alpha2/TCPRoute',
      'policy.linkerd.io/v1beta3/Server',
      'cilium.io/v2/CiliumNetworkPolicy',
      'flagger.app/v1beta1/Canary',
    ]) {
      assert.ok(keys.has(k), `cache lacks ${k}`);
    }
    assert.equal(result.kinds, keys.size);
    assert.deepEqual(readdirSync(dirname(cacheDir)), ['schemas'], 'no temp dirs left behind');
  });

  test('a tampered mirror is refused, naming the file, and no cache is written', async () => {
    const lock = loadLock();
    const mirror = join(work, 'tampered-mirror');
    for (const s of lock.sources) await cp(join(testMirror as string, s.file), join(mirror, s.file));
    const victim = lock.sources.find((s) => s.file.endsWith('kustomizations.yaml'));
    assert.ok(victim);
    const bytes = await readFile(join(mirror, victim.file));
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    await writeFile(join(mirror, victim.file), bytes);

    const cacheDir = join(work, 'tampered', 'schemas');
    await assert.rejects(syncSchemas({ cacheDir, mirror }), (e: Error) => {
      assert.match(e.message, /sha256 mismatch/);
      assert.ok(e.message.includes(victim.file), e.message);
      return true;
    });
    assert.equal(existsSync(cacheDir), false);
    assert.deepEqual(readdirSync(dirname(cacheDir)), [], 'no partial temp dir left');
  });

  test('a failed sync keeps the previous cache untouched', async () => {
    const cacheDir = join(work, 'keep', 'schemas');
    await syncSchemas({ cacheDir, mirror: testMirror as string });
    const before = await readFile(join(cacheDir, 'manifest.json'), 'utf8');
    await assert.rejects(syncSchemas({ cacheDir, mirror: join(work, 'empty-mirror') }), /has no readable/);
    assert.equal(await readFile(join(cacheDir, 'manifest.json'), 'utf8'), before);
  });
});

test('offline without a mirror: a clear message pointing at --mirror', async () => {
  const work = await mkdtemp(join(tmpdir(), 'meshproof-offline-'));
  try {
    const cacheDir = join(work, 'schemas');
    const offline = async (): Promise<Uint8Array> => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
    };
    await assert.rejects(syncSchemas({ cacheDir, fetcher: offline }), (e: Error) => {
      assert.match(e.message, /could not download .+ \(getaddrinfo ENOTFOUND\)\. Offline\?/);
      assert.match(e.message, /--mirror DIR or set MESHPROOF_SCHEMA_MIRROR/);
      return true;
    });
    assert.equal(existsSync(cacheDir), false);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
