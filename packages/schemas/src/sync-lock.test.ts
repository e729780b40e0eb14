// schemas sync on small locks and mirrors of our own: fast, no upstream mirror needed (sync.test.ts
// runs the real lock against the real mirror). Mutation testing runs this file.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readManifest } from './cache.ts';
import { SyncError, sha256 } from './fetch-source.ts';
import { syncSchemas } from './sync.ts';

describe('schemas sync from a lock of our own (no upstream mirror needed)', () => {
  const crd = (marker: string, kind = 'Widget') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${kind.toLowerCase()}s.demo.example }
spec:
  group: demo.example
  scope: Namespaced
  names: { kind: ${kind}, plural: ${kind.toLowerCase()}s }
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

  test('a kind version defined twice in one channel comes from the file listed first', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('same-channel', [
      { file: 'demo/v1/exp1.yaml', text: crd('exp1', 'Gadget'), format: 'crd', channel: 'experimental' },
      { file: 'demo/v1/std1.yaml', text: crd('std1'), format: 'crd', channel: 'standard' },
      { file: 'demo/v1/exp2.yaml', text: crd('exp2', 'Gadget'), format: 'crd', channel: 'experimental' },
      { file: 'demo/v1/std2.yaml', text: crd('std2'), format: 'crd', channel: 'standard' },
    ]);
    await syncSchemas({ cacheDir, mirror, lockFile });
    assert.deepEqual(
      readManifest(cacheDir)
        .kinds.map((k) => `${k.kind} ${k.source}`)
        .sort(),
      ['Gadget demo/v1/exp1.yaml', 'Widget demo/v1/std1.yaml'],
    );
  });

  /** Downloads from `mirror` by URL, calling `during` first: a look into the sync half-way. */
  const fetchFrom =
    (mirror: string, during: () => Promise<void>) =>
    async (url: string): Promise<Uint8Array> => {
      await during();
      return readFile(join(mirror, url.slice('https://example.test/'.length)));
    };

  test('the new cache is built in a hidden folder beside the cache, so the swap is one rename', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('beside', [
      { file: 'demo/v1/widgets.yaml', text: crd('standard'), format: 'crd' },
    ]);
    let seen: { parent: string[]; grandparent: string[] } | undefined;
    const parent = dirname(cacheDir);
    const fetcher = fetchFrom(mirror, async () => {
      seen = { parent: readdirSync(parent), grandparent: readdirSync(dirname(parent)).sort() };
    });
    await syncSchemas({ cacheDir, lockFile, fetcher });
    assert.equal(seen?.parent.length, 1, String(seen?.parent));
    assert.match(seen?.parent[0] ?? '', /^\.schemas\.tmp-/);
    assert.deepEqual(seen?.grandparent, ['cache', 'lock.json', 'mirror']);
    assert.deepEqual(readdirSync(dirname(cacheDir)), ['schemas']);
  });

  test('a previous cache that cannot be moved aside fails the sync with that error and stays', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('stuck', [
      { file: 'demo/v1/widgets.yaml', text: crd('standard'), format: 'crd' },
    ]);
    await syncSchemas({ cacheDir, mirror, lockFile });
    const before = await readFile(join(cacheDir, 'manifest.json'), 'utf8');
    // Something already where the previous cache would go: a non-empty folder cannot be renamed onto.
    let blocker = '';
    const parent = dirname(cacheDir);
    const fetcher = fetchFrom(mirror, async () => {
      const tmp = readdirSync(parent).find((n) => n.startsWith('.schemas.tmp-'));
      assert.ok(tmp);
      blocker = join(parent, `${tmp}.old`);
      await mkdir(join(blocker, 'in-the-way'), { recursive: true });
    });
    await assert.rejects(
      syncSchemas({ cacheDir, lockFile, fetcher }),
      (e: NodeJS.ErrnoException & { dest?: string }) => {
        assert.equal(e.path, cacheDir, e.message);
        assert.equal(e.dest, blocker);
        return true;
      },
    );
    assert.equal(await readFile(join(cacheDir, 'manifest.json'), 'utf8'), before);
    await rm(blocker, { recursive: true });
    assert.deepEqual(readdirSync(dirname(cacheDir)), ['schemas'], 'no temp dir left behind');
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

  test("Helm templates are rendered with the helm-values file's values: a switched-off template adds no kind", async () => {
    const gated = (key: string, kind: string) =>
      `{{- if .Values.${key}.enabled }}\n${crd('templated', kind)}{{- end }}\n`;
    const { mirror, lockFile, cacheDir } = await setUp('rendered', [
      {
        file: 'demo/v1/values.yaml',
        text: 'gadgets:\n  enabled: true\ngizmos:\n  enabled: false\n',
        format: 'helm-values',
      },
      { file: 'demo/v1/templates/gadgets.yaml', text: gated('gadgets', 'Gadget'), format: 'helm-template' },
      { file: 'demo/v1/templates/gizmos.yaml', text: gated('gizmos', 'Gizmo'), format: 'helm-template' },
    ]);
    const result = await syncSchemas({ cacheDir, mirror, lockFile });
    assert.deepEqual(result, { files: 3, kinds: 1, cacheDir });
    assert.deepEqual(
      readManifest(cacheDir).kinds.map((k) => [k.group, k.version, k.kind]),
      [['demo.example', 'v1', 'Gadget']],
    );
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
  test('a tampered file is refused, naming it, and the previous cache stays as it was', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('tampered', [
      { file: 'demo/v1/widgets.yaml', text: crd('standard'), format: 'crd' },
    ]);
    await syncSchemas({ cacheDir, mirror, lockFile });
    const before = await readFile(join(cacheDir, 'manifest.json'), 'utf8');
    await writeFile(join(mirror, 'demo/v1/widgets.yaml'), crd('changed'));
    await assert.rejects(syncSchemas({ cacheDir, mirror, lockFile }), (e: Error) => {
      assert.ok(e instanceof SyncError);
      assert.match(e.message, /^sha256 mismatch for demo\/v1\/widgets\.yaml in mirror /);
      return true;
    });
    assert.equal(await readFile(join(cacheDir, 'manifest.json'), 'utf8'), before);
    assert.deepEqual(readdirSync(dirname(cacheDir)), ['schemas'], 'no temp dir left behind');
  });

  test('a second sync replaces the cache in one piece (no old or temp dirs left)', async () => {
    const { mirror, lockFile, cacheDir } = await setUp('twice', [
      { file: 'demo/v1/widgets.yaml', text: crd('standard'), format: 'crd' },
    ]);
    await syncSchemas({ cacheDir, mirror, lockFile });
    await writeFile(join(cacheDir, 'stale'), 'from the first sync');
    await syncSchemas({ cacheDir, mirror, lockFile });
    assert.equal(existsSync(join(cacheDir, 'stale')), false);
    assert.deepEqual(readdirSync(dirname(cacheDir)), ['schemas']);
  });
});
