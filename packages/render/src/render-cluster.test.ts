import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { INGRESS_MESHES, MESHES, type Mesh } from '@meshproof/spec';
import { LAYER_DIR, LAYERS, type Layer, OPTIONAL_LAYERS } from './layout.ts';
import { meshPlugin } from './meshes.ts';
import type { K8sObject } from './model.ts';
import { renderCluster } from './render-cluster.ts';
import { exposeApps, objectsOf, ofKind, registeredMeshes, testSpec } from './test-support.ts';
import { validateWithModel } from './validate-models.ts';
import { replaceDir } from './write.ts';

// Invariants every mesh's output must keep; a newly registered mesh is covered automatically.
const registered = registeredMeshes();

const layerOf = (path: string): Layer | undefined => LAYERS.find((l) => path.startsWith(`${LAYER_DIR[l]}/`));
const groupOf = (o: K8sObject) => (o.apiVersion.includes('/') ? (o.apiVersion.split('/')[0] ?? '') : '');
type Spec = Record<string, unknown>;
const specOf = (o: K8sObject) => (o as unknown as { spec: Spec }).spec;

// Groups served by `flux install` or Kubernetes itself: no layer has to install them.
const BUILT_IN =
  /^(|apps|autoscaling|policy|networking\.k8s\.io|rbac\.authorization\.k8s\.io|.*\.toolkit\.fluxcd\.io)$/;

/** Layer that installs each CRD group, found from the objects that install it. */
function crdProviders(objects: { path: string; object: K8sObject }[]): Map<string, Layer> {
  const providers = new Map<string, Layer>();
  const provides: Record<string, string[]> = {
    'gateway-api-crds': ['gateway.networking.k8s.io'],
    flagger: ['flagger.app'],
    base: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io'],
    'cert-manager': ['cert-manager.io'],
    'trust-manager': ['trust.cert-manager.io'],
    'linkerd-crds': ['policy.linkerd.io', 'linkerd.io'],
    cilium: ['cilium.io'],
  };
  for (const { path, object } of objects) {
    const layer = layerOf(path);
    const key =
      object.kind === 'HelmRelease'
        ? ((specOf(object).chart as { spec: { chart: string } }).spec.chart ?? '')
        : object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit')
          ? (object.metadata?.name ?? '')
          : '';
    for (const group of provides[key] ?? []) if (layer) providers.set(group, layer);
  }
  return providers;
}

for (const mesh of registered) {
  describe(`render invariants: ${mesh}`, () => {
    // Exposed apps wherever the mesh has an ingress gateway, so its Gateway and routes are checked too.
    const edit = INGRESS_MESHES.has(mesh) ? exposeApps : undefined;
    const platform = testSpec([mesh], edit);
    const cluster = platform.clusters[0];
    assert.ok(cluster);
    const tree = renderCluster(platform, cluster);
    const objects = objectsOf(tree);

    test('renders byte-identical output twice', () => {
      assert.deepEqual([...renderCluster(testSpec([mesh], edit), cluster)], [...tree]);
    });

    test('Flux layers chain crds → (identity) → controllers → configs → apps, pruned, waited on, with existing paths', () => {
      const layers = ofKind(tree, 'Kustomization').filter(({ path }) => path.startsWith('flux/'));
      // The identity layer exists only where the mesh puts objects in it (Linkerd's cert-manager chain).
      const present = LAYERS.filter(
        (l) => !OPTIONAL_LAYERS.has(l) || tree.has(`${LAYER_DIR[l]}/kustomization.yaml`),
      );
      assert.deepEqual(layers.map(({ object }) => object.metadata?.name).sort(), [...present].sort());
      for (const { object } of layers) {
        const spec = specOf(object);
        const i = present.indexOf(object.metadata?.name as Layer);
        assert.deepEqual(spec.dependsOn, i === 0 ? undefined : [{ name: present[i - 1] }]);
        assert.equal(spec.prune, true);
        assert.equal(spec.wait, true);
        const dir = String(spec.path).replace(`./clusters/${cluster.name}/`, '');
        assert.ok(tree.has(`${dir}/kustomization.yaml`), `${spec.path} has a kustomization.yaml`);
      }
    });

    test('CRDs are never applied by the same layer as their custom resources', () => {
      const providers = crdProviders(objects);
      for (const { path, object } of objects) {
        const group = groupOf(object);
        const layer = layerOf(path);
        if (BUILT_IN.test(group) || group === 'kustomize.config.k8s.io' || !layer) continue;
        const provider = providers.get(group);
        assert.ok(
          provider,
          `${path}: no layer installs the CRDs of ${object.apiVersion} (add it to crdProviders)`,
        );
        assert.ok(
          LAYERS.indexOf(provider) < LAYERS.indexOf(layer),
          `${path}: ${object.kind} is applied in ${layer}, but its CRDs come from ${provider}`,
        );
      }
    });

    test('every HelmRelease pins an exact chart version from a HelmRepository in the tree', () => {
      const repos = new Set(ofKind(tree, 'HelmRepository').map(({ object }) => object.metadata?.name));
      for (const { object } of ofKind(tree, 'HelmRelease')) {
        const chart = (specOf(object).chart as { spec: { version: string; sourceRef: { name: string } } })
          .spec;
        assert.match(chart.version, /^v?\d+\.\d+\.\d+(-[\w.]+)?$/, `${object.metadata?.name} version`);
        assert.ok(
          repos.has(chart.sourceRef.name),
          `${object.metadata?.name}: repository ${chart.sourceRef.name}`,
        );
        const spec = specOf(object) as { install: { crds: string }; upgrade: { crds: string } };
        assert.ok(spec.install.crds && spec.upgrade.crds, 'CRD policies are explicit');
      }
    });

    test('namespaces are protected from pruning and app namespaces enforce restricted Pod Security', () => {
      for (const { object } of ofKind(tree, 'Namespace')) {
        assert.equal(object.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/prune'], 'Disabled');
      }
      for (const ns of ['store', 'search']) {
        const found = ofKind(tree, 'Namespace').find(({ object }) => object.metadata?.name === ns);
        assert.equal(
          found?.object.metadata?.labels?.['pod-security.kubernetes.io/enforce'],
          'restricted',
          ns,
        );
      }
    });

    test('Deployments are hardened; canary targets have no replicas and no committed Services', () => {
      for (const { object } of ofKind(tree, 'Deployment')) {
        const spec = specOf(object) as { replicas?: number; template: { spec: Spec } };
        const pod = spec.template.spec as {
          automountServiceAccountToken: boolean;
          securityContext: Spec;
          containers: { image: string; securityContext: Spec; resources: Spec }[];
        };
        assert.equal(spec.replicas, undefined, 'the HPA owns replicas');
        assert.equal(pod.automountServiceAccountToken, false);
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
        for (const c of pod.containers) {
          assert.match(c.image, /:[\w.-]+$/);
          assert.equal(c.securityContext.readOnlyRootFilesystem, true);
          assert.equal(c.securityContext.allowPrivilegeEscalation, false);
          assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] });
        }
      }
      const names = ofKind(tree, 'Deployment')
        .map(({ object }) => object.metadata?.name)
        .sort();
      assert.deepEqual(names, ['api', 'search-v1', 'search-v2', 'web-v1']);
      const services = ofKind(tree, 'Service').map(({ object }) => object.metadata?.name);
      assert.ok(!services.includes('api'), 'Flagger generates the canary Services');
      assert.ok(services.includes('search-v2'), 'per-version Services for weighted routing');
      const api = ofKind(tree, 'Deployment').find(({ object }) => object.metadata?.name === 'api');
      assert.doesNotMatch(
        JSON.stringify(api?.object),
        /FAULT_ERROR_RATE/,
        'the stable version has no faults',
      );
    });

    test('the canary uses the mesh provider, the HPA and the spec analysis', () => {
      const [entry] = ofKind(tree, 'Canary');
      assert.ok(entry);
      const spec = specOf(entry.object) as {
        provider: string;
        autoscalerRef: Spec;
        analysis: { metrics: Spec[] };
      };
      assert.equal(spec.provider, meshPlugin(mesh).flagger.provider);
      assert.equal(spec.autoscalerRef.apiVersion, 'autoscaling/v2');
      const canarySpec = platform.apps.find((a) => a.name === entry.object.metadata?.name)?.canary;
      assert.ok(canarySpec);
      // The app's success rate and p99, then the mesh's own checks (Envoy's success rate on sidecars).
      assert.deepEqual(
        spec.analysis.metrics.map((m) => m.thresholdRange),
        [
          { min: 99 },
          { max: 500 },
          ...(meshPlugin(mesh).flagger.metrics ?? []).map((m) => m.thresholdRange(canarySpec)),
        ],
      );
      const flagger = ofKind(tree, 'HelmRelease').find(({ object }) => object.metadata?.name === 'flagger');
      assert.equal((specOf(flagger?.object as K8sObject).values as Spec).meshProvider, spec.provider);
    });

    test('every object a typed model covers passes .validate()', () => {
      const covered = objects.filter(({ path, object }) => {
        try {
          return validateWithModel(object);
        } catch (error) {
          throw new Error(`${path} ${object.kind}/${object.metadata?.name}: ${(error as Error).message}`);
        }
      });
      assert.ok(covered.length > 10, `only ${covered.length} objects had a model`);
    });

    test('kubectl kustomize builds every folder with a kustomization.yaml', (t) => {
      const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
      if (probe.error || probe.status !== 0) {
        t.skip('kubectl is not installed; skipping the kustomize build check');
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'meshproof-kustomize-'));
      const files = new Map(tree);
      return replaceDir(join(dir, cluster.name), files).then(() => {
        for (const path of tree.keys()) {
          if (!path.endsWith('/kustomization.yaml')) continue;
          const folder = join(dir, cluster.name, path.replace(/\/kustomization\.yaml$/, ''));
          const built = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
          assert.equal(built.status, 0, `kubectl kustomize ${path}: ${built.stderr}`);
        }
        rmSync(dir, { recursive: true });
      });
    });
  });
}

test('every mesh of the spec has a renderer, and an unknown mesh fails instead of rendering without it', () => {
  assert.deepEqual(registered, [...MESHES]);
  const platform = testSpec(['none']);
  const cluster = platform.clusters[0];
  assert.ok(cluster);
  assert.throws(
    () => renderCluster(platform, { ...cluster, mesh: 'kuma' as Mesh }),
    /no renderer for mesh "kuma"/,
  );
});
