import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Mesh, type Platform, type PlatformInput, validatePlatform } from '@meshproof/spec';
import config from '../../../meshproof.config.ts';
import type { K8sObject } from './model.ts';
import { renderCluster } from './render-cluster.ts';
import { objectsOf } from './test-support.ts';

// One app definition, every mesh: a change to one `calls` entry must show up in each cluster's own
// authorization language. The readers below interpret each mesh's objects independently of the
// renderers, so a renderer that drops or mistranslates the change fails here.

// biome-ignore lint/suspicious/noExplicitAny: the readers walk parsed YAML of five different APIs.
type Obj = K8sObject & { spec: any };
interface Peer {
  app: string;
  namespace: string;
}

const of = (objects: Obj[], kind: string, namespace: string) =>
  objects.filter((o) => o.kind === kind && o.metadata?.namespace === namespace);

const readers: Record<Mesh, (objects: Obj[], from: Peer, to: Peer, method: string) => boolean> = {
  // L4 only: the method cannot be expressed, so only the peer is read.
  none: (objects, from, to) =>
    of(objects, 'NetworkPolicy', to.namespace).some(
      (p) =>
        p.spec.podSelector?.matchLabels?.['meshproof/app'] === to.app &&
        (p.spec.ingress ?? []).some((r: Obj['spec']) =>
          (r.from ?? []).some((f: Obj['spec']) => f.podSelector?.matchLabels?.['meshproof/app'] === from.app),
        ),
    ),
  'istio-ambient': (objects, from, to, method) => istioAdmits(objects, from, to, method),
  'istio-sidecar': (objects, from, to, method) => istioAdmits(objects, from, to, method),
  linkerd: (objects, from, to, method) =>
    of(objects, 'HTTPRoute', to.namespace)
      .filter((r) =>
        r.spec.parentRefs?.some((p: Obj['spec']) => p.kind === 'Server' && p.name === `${to.app}-http`),
      )
      .filter((r) =>
        r.spec.rules.some((rule: Obj['spec']) =>
          rule.matches.some((m: Obj['spec']) => !m.method || m.method === method),
        ),
      )
      .some((route) =>
        of(objects, 'AuthorizationPolicy', to.namespace)
          .filter(
            (a) =>
              a.apiVersion.startsWith('policy.linkerd.io') && a.spec.targetRef.name === route.metadata?.name,
          )
          .some((a) =>
            a.spec.requiredAuthenticationRefs.every((ref: Obj['spec']) =>
              of(objects, ref.kind, to.namespace)
                .find((x) => x.metadata?.name === ref.name)
                ?.spec.identityRefs?.some(
                  (i: Obj['spec']) => i.name === from.app && i.namespace === from.namespace,
                ),
            ),
          ),
      ),
  cilium: (objects, from, to, method) =>
    of(objects, 'CiliumNetworkPolicy', to.namespace)
      .filter((p) => p.spec.endpointSelector?.matchLabels?.['meshproof/app'] === to.app)
      .some((p) =>
        (p.spec.ingress ?? []).some(
          (r: Obj['spec']) =>
            r.fromEndpoints?.some(
              (e: Obj['spec']) =>
                e.matchLabels['io.cilium.k8s.policy.serviceaccount'] === from.app &&
                e.matchLabels['k8s:io.kubernetes.pod.namespace'] === from.namespace,
            ) &&
            r.toPorts.some((tp: Obj['spec']) =>
              tp.rules.http.some((h: Obj['spec']) => !h.method || h.method === method),
            ),
        ),
      ),
};

function istioAdmits(objects: Obj[], from: Peer, to: Peer, method: string): boolean {
  const principal = `cluster.local/ns/${from.namespace}/sa/${from.app}`;
  return of(objects, 'AuthorizationPolicy', to.namespace)
    .filter((a) => a.apiVersion.startsWith('security.istio.io') && a.spec.action === 'ALLOW')
    .filter(
      (a) =>
        a.spec.selector?.matchLabels?.['meshproof/app'] === to.app ||
        a.spec.targetRefs?.some((t: Obj['spec']) => t.kind === 'Service' && t.name === to.app),
    )
    .some((a) =>
      (a.spec.rules ?? []).some(
        (rule: Obj['spec']) =>
          rule.from?.some((f: Obj['spec']) => f.source?.principals?.includes(principal)) &&
          (rule.to ?? [{}]).some(
            (t: Obj['spec']) => !t.operation?.methods || t.operation.methods.includes(method),
          ),
      ),
    );
}

function platformWith(edit?: (spec: PlatformInput) => void): Platform {
  const spec = structuredClone(config) as PlatformInput;
  edit?.(spec);
  const result = validatePlatform(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.platform;
}

function admitted(platform: Platform, from: Peer, to: Peer, method: string): Record<string, boolean> {
  return Object.fromEntries(
    platform.clusters.map((cluster) => {
      const objects = objectsOf(renderCluster(platform, cluster)).map((e) => e.object as Obj);
      return [cluster.mesh, readers[cluster.mesh](objects, from, to, method)];
    }),
  );
}

const frontend = { app: 'frontend', namespace: 'shop' };
const backend = { app: 'backend', namespace: 'shop' };
const everywhere = (value: boolean) =>
  Object.fromEntries(['none', 'istio-ambient', 'istio-sidecar', 'linkerd', 'cilium'].map((m) => [m, value]));

describe('the same calls entry, rendered by every mesh', () => {
  const original = platformWith();
  // The one entry moves: backend now calls frontend, and only with POST on /orders.
  const changed = platformWith((spec) => {
    const [front, back] = spec.apps;
    assert.ok(front && back && front.name === 'frontend' && back.name === 'backend');
    front.calls = [];
    back.calls = [{ app: 'frontend', methods: ['POST'], paths: ['/orders'] }];
  });

  test('the default config renders all five meshes from one app definition', () => {
    assert.deepEqual(original.clusters.map((c) => c.mesh).sort(), Object.keys(everywhere(true)).sort());
    assert.ok(
      JSON.stringify(original.apps).match(/istio|linkerd|cilium/) === null,
      'no per-mesh fields in the apps',
    );
  });

  test('before: frontend → backend GET is admitted in every cluster, backend → frontend nowhere', () => {
    assert.deepEqual(admitted(original, frontend, backend, 'GET'), everywhere(true));
    assert.deepEqual(admitted(original, backend, frontend, 'POST'), everywhere(false));
  });

  test('after: the moved entry is admitted everywhere (baseline at L4), the old one nowhere', () => {
    assert.deepEqual(admitted(changed, backend, frontend, 'POST'), everywhere(true));
    assert.deepEqual(admitted(changed, frontend, backend, 'GET'), everywhere(false));
  });

  test('after: the four meshes also enforce the method; the baseline cannot (L4)', () => {
    assert.deepEqual(admitted(changed, backend, frontend, 'GET'), { ...everywhere(false), none: true });
  });
});

describe('the Flagger loadtester: an implicit caller of exactly the canary apps, on every mesh', () => {
  const loadtester = { app: 'flagger-loadtester', namespace: 'shop' };
  const original = platformWith();
  const noCanary = platformWith((spec) => {
    for (const app of spec.apps) delete app.canary;
  });

  test('it may GET the canary app (backend) in every cluster, and no other app', () => {
    assert.deepEqual(admitted(original, loadtester, backend, 'GET'), everywhere(true));
    assert.deepEqual(admitted(original, loadtester, frontend, 'GET'), everywhere(false));
  });

  test('the four meshes also enforce its method (GET, what hey sends); the baseline cannot (L4)', () => {
    assert.deepEqual(admitted(original, loadtester, backend, 'POST'), { ...everywhere(false), none: true });
  });

  test('without a canary there is no loadtester and nothing admits it', () => {
    assert.deepEqual(admitted(noCanary, loadtester, backend, 'GET'), everywhere(false));
    for (const cluster of noCanary.clusters)
      assert.ok(
        !objectsOf(renderCluster(noCanary, cluster)).some(
          (e) => e.object.kind === 'HelmRelease' && e.path.startsWith('apps/'),
        ),
        cluster.name,
      );
  });
});
