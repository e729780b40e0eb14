import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256 } from './fetch-source.ts';
import { syncSchemas } from './sync.ts';
import { openValidator, type SchemaValidator } from './validator.ts';

// A CRD written for this test that uses every schema extension the converter must honour.
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.dev }
spec:
  group: example.dev
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [port]
            properties:
              port: { x-kubernetes-int-or-string: true }
              config: { type: object, x-kubernetes-preserve-unknown-fields: true }
              template: { type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true }
              note: { type: string, nullable: true }
              since: { type: string, format: date-time }
              every: { type: string, format: duration }
              mode: { type: string, enum: [fast, slow] }
              name: { type: string, pattern: '^\\pL+$' }
  - name: v2
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: { type: object, properties: { size: { type: integer } } }
`;

describe('openValidator', () => {
  let work: string;
  let v: SchemaValidator;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'meshproof-validator-'));
    const file = 'example/v1/widgets.yaml';
    await mkdir(join(work, 'mirror', 'example', 'v1'), { recursive: true });
    await writeFile(join(work, 'mirror', file), CRD);
    const lock = {
      description: 'test lock',
      pins: { example: 'v1' },
      sources: [
        {
          project: 'example',
          version: 'v1',
          file,
          url: 'https://example.test/widgets.yaml',
          sha256: sha256(Buffer.from(CRD)),
          format: 'crd',
        },
      ],
    };
    const lockFile = join(work, 'lock.json');
    await writeFile(lockFile, JSON.stringify(lock));
    await syncSchemas({ cacheDir: join(work, 'cache'), mirror: join(work, 'mirror'), lockFile });
    v = openValidator(join(work, 'cache'), lockFile);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const widget = (spec: Record<string, unknown>, apiVersion = 'example.dev/v1') => ({
    apiVersion,
    kind: 'Widget',
    metadata: { name: 'w', labels: { a: 'b' } },
    spec,
  });

  test('a valid object passes; int-or-string takes both', async () => {
    assert.deepEqual(await v.validate(widget({ port: 80 })), []);
    assert.deepEqual(await v.validate(widget({ port: 'http' })), []);
    const bad = await v.validate(widget({ port: true }));
    assert.ok(
      bad.some((i) => i.path.join('.') === 'spec.port'),
      JSON.stringify(bad),
    );
  });

  test('unknown fields are rejected unless preserved', async () => {
    const issues = await v.validate(widget({ port: 1, extra: 1 }));
    assert.deepEqual(issues, [
      { kind: 'unknown-field', path: ['spec', 'extra'], message: 'unknown field "extra"' },
    ]);
    assert.deepEqual(await v.validate(widget({ port: 1, config: { anything: { goes: 1 } } })), []);
    const top = await v.validate({ ...widget({ port: 1 }), bogus: 1 });
    assert.equal(top[0]?.kind, 'unknown-field');
  });

  test('embedded resources need apiVersion and kind', async () => {
    assert.deepEqual(
      await v.validate(widget({ port: 1, template: { apiVersion: 'v1', kind: 'Pod', spec: {} } })),
      [],
    );
    const issues = await v.validate(widget({ port: 1, template: { spec: {} } }));
    assert.ok(
      issues.some((i) => i.message.includes("'apiVersion'")),
      JSON.stringify(issues),
    );
  });

  test('nullable, formats, enums and Go patterns', async () => {
    assert.deepEqual(
      await v.validate(widget({ port: 1, note: null, since: '2026-01-02T03:04:05Z', every: '1m30s' })),
      [],
    );
    assert.equal(
      (await v.validate(widget({ port: 1, since: 'yesterday' })))[0]?.path.join('.'),
      'spec.since',
    );
    assert.equal((await v.validate(widget({ port: 1, every: 'P1D' })))[0]?.path.join('.'), 'spec.every');
    assert.match(
      (await v.validate(widget({ port: 1, mode: 'medium' })))[0]?.message ?? '',
      /one of "fast", "slow"/,
    );
    assert.deepEqual(await v.validate(widget({ port: 1, name: 'Größe' })), []);
    assert.equal((await v.validate(widget({ port: 1, name: 'a1' })))[0]?.path.join('.'), 'spec.name');
  });

  test('the version comes from apiVersion', async () => {
    assert.deepEqual(await v.validate(widget({ size: 3 }, 'example.dev/v2')), []);
    const v1 = await v.validate(widget({ size: 3 }));
    assert.ok(v1.some((i) => i.kind === 'unknown-field'));
    const v3 = await v.validate(widget({}, 'example.dev/v3'));
    assert.deepEqual(
      v3.map((i) => i.kind),
      ['unknown-kind'],
    );
    assert.match(v3[0]?.message ?? '', /no version v3 .*known: v1, v2/);
  });

  test('unknown kinds are errors; core kinds go through kubernetes-models', async () => {
    const unknown = await v.validate({
      apiVersion: 'example.dev/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
    });
    assert.equal(unknown[0]?.kind, 'unknown-kind');
    assert.equal((await v.validate({ apiVersion: 'nope.dev/v1', kind: 'Thing' }))[0]?.kind, 'unknown-kind');
    assert.equal((await v.validate({ metadata: {} }))[0]?.kind, 'unknown-kind');
    assert.deepEqual(await v.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }), []);
    const dep = await v.validate({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replicas: 'two', selector: {}, template: {} },
    });
    assert.deepEqual(
      dep.map((i) => i.path.join('.')),
      ['spec.replicas'],
    );
  });

  test('a new validator reads the compiled code from the cache and finds the same issues', async () => {
    const objects = [
      widget({ port: true }),
      widget({ port: 1, extra: 1 }),
      widget({ port: 1, template: { spec: {} } }),
      widget({ port: 1, since: 'yesterday', every: 'P1D', mode: 'medium', name: 'a1' }),
      widget({ port: 1, note: null, since: '2026-01-02T03:04:05Z', every: '1m30s', name: 'Größe' }),
      widget({ size: 3 }, 'example.dev/v2'),
    ];
    const first = await Promise.all(objects.map((o) => v.validate(o)));
    const compiled = await readdir(join(work, 'cache', 'compiled'));
    assert.equal(compiled.filter((f) => f.endsWith('.cjs')).length, 2, compiled.join(', '));
    const again = openValidator(join(work, 'cache'), join(work, 'lock.json'));
    assert.deepEqual(await Promise.all(objects.map((o) => again.validate(o))), first);
    assert.ok(first.slice(0, 4).every((issues) => issues.length > 0));
  });

  test('a cache from another lock is refused', async () => {
    const other = join(work, 'other-lock.json');
    await writeFile(other, '{"sources":[]}');
    assert.throws(() => openValidator(join(work, 'cache'), other), /another lock/);
  });
});
