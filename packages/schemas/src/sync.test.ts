import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readManifest } from './cache.ts';
import { SyncError, sha256 } from './fetch-source.ts';
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

describe('schemas sync from a lock of our own (no upstream mirror needed)', () => {
  const crd = (marker: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.demo.example }
spec:
  group: demo.example
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          description: ${marker}
`;
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'meshproof-sync-own-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  /** Writes the files into a mirror and a lock naming them; returns the lock's path. */
  async function setUp(
    name: string,
    files: { file: string; text: string; format: string; channel?: string }[],
  ) {
    const mirror = join(work, name, 'mirror');
    const sources = [];
    for (const f of files) {
      await mkdir(dirname(join(mirror, f.file)), { recursive: true });
      await writeFile(join(mirror, f.file), f.text);
      sources.push({
        project: 'demo',
        version: 'v1',
        file: f.file,
        url: `https://example.test/${f.file}`,
        sha256: sha256(new TextEncoder().encode(f.text)),
        format: f.format,
        ...(f.channel ? { channel: f.channel } : {}),
      });
    }
    const lockFile = join(work, name, 'lock.json');
    await writeFile(lockFile, JSON.stringify({ description: 'test', pins: { demo: 'v1' }, sources }));
    return { mirror, lockFile, cacheDir: join(work, name, 'cache', 'schemas') };
  }

  test('CRDs only: every file is kept, one schema per kind version, the manifest records the lock hash', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('crds', [
      { file: 'demo/v1/widgets.yaml', text: crd('standard'), format: 'crd' },
    ]);
    const result = await syncSchemas({ cacheDir, mirror, lockFile });
    assert.deepEqual(result, { files: 1, kinds: 1, cacheDir });
    assert.equal(await readFile(join(cacheDir, 'upstream/demo/v1/widgets.yaml'), 'utf8'), crd('standard'));
    const manifest = readManifest(cacheDir);
    assert.equal(manifest.lockSha256, sha256(await readFile(lockFile)));
    assert.deepEqual(
      manifest.kinds.map((k) => [k.group, k.version, k.kind, k.file]),
      [['demo.example', 'v1', 'Widget', join('kinds', 'demo.example', 'v1', 'Widget.json')]],
    );
  });

  test('the standard channel wins over experimental for the same kind version, whatever the lock order', async () => {
    for (const order of ['experimental-first', 'standard-first']) {
      const files = [
        {
          file: 'demo/v1/experimental/widgets.yaml',
          text: crd('experimental'),
          format: 'crd',
          channel: 'experimental',
        },
        { file: 'demo/v1/standard/widgets.yaml', text: crd('standard'), format: 'crd', channel: 'standard' },
      ];
      if (order === 'standard-first') files.reverse();
      const { mirror, lockFile, cacheDir } = await setUp(order, files);
      const result = await syncSchemas({ cacheDir, mirror, lockFile });
      assert.equal(result.kinds, 1, order);
      const [entry] = readManifest(cacheDir).kinds;
      assert.equal(entry?.source, 'demo/v1/standard/widgets.yaml', order);
      assert.ok(existsSync(join(cacheDir, entry?.file ?? '')), order);
    }
  });

  test('Helm templates without a helm-values file are refused and nothing is written', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('templates', [
      { file: 'demo/v1/widgets.yaml', text: crd('standard'), format: 'crd' },
      {
        file: 'demo/v1/templates/server.yaml',
        text: '{{ if .Values.x }}{{ end }}\n',
        format: 'helm-template',
      },
    ]);
    await assert.rejects(syncSchemas({ cacheDir, mirror, lockFile }), (e: Error) => {
      assert.ok(e instanceof SyncError);
      assert.equal(e.message, 'lock lists Helm templates but no helm-values file to render them with');
      return true;
    });
    assert.deepEqual(readdirSync(dirname(cacheDir)), [], 'no cache and no temp dir');
  });

  test('a lock of the wrong shape is refused before anything is created', async () => {
    const lockFile = join(work, 'bad-lock.json');
    await writeFile(lockFile, JSON.stringify({ description: 'x', pins: {}, sources: [{ file: 'a' }] }));
    const cacheDir = join(work, 'bad', 'cache', 'schemas');
    await assert.rejects(
      syncSchemas({ cacheDir, lockFile, fetcher: async () => new Uint8Array() }),
      (e: Error) => {
        assert.ok(e instanceof SyncError);
        assert.equal(e.message, `${lockFile}: sources[0].project: expected a non-empty string`);
        return true;
      },
    );
    assert.equal(existsSync(join(work, 'bad')), false);
  });
});
