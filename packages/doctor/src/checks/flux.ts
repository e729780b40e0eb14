// Flux delivery footguns: CRDs and their resources in one apply, floating chart versions, pruning
// that can delete Namespaces/CRDs, replicas fighting Flagger, and committed force applies.
import { get, group, named, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { ownedObjects } from '../owned.ts';

function crdsWithResources(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const ks of ofKind(c, 'Kustomization', 'fluxcd.io')) {
    const owned = ownedObjects(c, ks);
    const crds = new Map<string, K8sObject>();
    for (const o of owned) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      crds.set(
        `${String(get(o.body, ['spec', 'group']))}/${String(get(o.body, ['spec', 'names', 'kind']))}`,
        o,
      );
    }
    for (const o of owned) {
      const crd = crds.get(`${group(o.apiVersion)}/${o.kind}`);
      if (crd) {
        out.push({
          obj: o,
          path: ['kind'],
          message: `${o.kind} ${o.name} is applied by Kustomization ${ks.namespace}/${ks.name} together with its CRD ${crd.name}; the server-side dry-run fails with "no matches for kind"`,
        });
      }
    }
  }
  return out;
}

// Anything but an exact version: empty/`*`, x-ranges, comparison and caret/tilde ranges, unions.
const FLOATING = /(^\s*$)|[*^~<>=|]|(^|\.)[xX](\.|$)|\s-\s/;

function floatingCharts(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) {
    const spec = get(hr.body, ['spec', 'chart', 'spec']);
    if (spec === undefined) continue;
    const v = get(spec, ['version']);
    if (v === undefined)
      out.push({
        obj: hr,
        path: ['spec', 'chart', 'spec'],
        message: 'chart version unset: Flux installs the latest chart (`*`)',
      });
    else if (FLOATING.test(String(v)))
      out.push({
        obj: hr,
        path: ['spec', 'chart', 'spec', 'version'],
        message: `chart version "${String(v)}" is a range, not a pinned version`,
      });
  }
  for (const chart of ofKind(c, 'HelmChart', 'fluxcd.io')) {
    const v = get(chart.body, ['spec', 'version']);
    if (v === undefined || FLOATING.test(String(v))) {
      out.push({
        obj: chart,
        path: ['spec', 'version'],
        message: `chart version "${String(v ?? '*')}" is not pinned`,
      });
    }
  }
  return out;
}

const PRUNE = 'kustomize.toolkit.fluxcd.io/prune';
// kustomize-controller compares the value case-insensitively and also applies spec.commonMetadata.
const disabled = (v: unknown): boolean => typeof v === 'string' && v.toLowerCase() === 'disabled';
const protectedFromPrune = (o: K8sObject, ks: K8sObject): boolean =>
  [
    o.labels,
    o.annotations,
    get(ks.body, ['spec', 'commonMetadata', 'labels']),
    get(ks.body, ['spec', 'commonMetadata', 'annotations']),
  ].some((m) => disabled(get(m, [PRUNE])));

function unprotectedPrune(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const ks of ofKind(c, 'Kustomization', 'fluxcd.io')) {
    if (get(ks.body, ['spec', 'prune']) !== true) continue;
    for (const o of ownedObjects(c, ks)) {
      if ((o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition') && !protectedFromPrune(o, ks)) {
        out.push({
          obj: o,
          path: ['metadata', 'name'],
          message: `${o.kind} ${o.name} is pruned by Kustomization ${ks.namespace}/${ks.name}: removing it from Git (or renaming the Kustomization) deletes it and everything in it`,
        });
      }
    }
  }
  return out;
}

function replicasOnCanaryTarget(c: ClusterSet): Issue[] {
  return ofKind(c, 'Canary', 'flagger.app').flatMap((canary) => {
    const kind = get(canary.body, ['spec', 'targetRef', 'kind']);
    const name = get(canary.body, ['spec', 'targetRef', 'name']);
    const target = named(c, String(kind), canary.namespace, name)[0];
    if (!target || get(target.body, ['spec', 'replicas']) === undefined) return [];
    return [
      {
        obj: target,
        path: ['spec', 'replicas'],
        message: `${target.kind} ${target.name} is managed by Canary ${canary.name}; Flux re-applying replicas scales the target Flagger keeps at zero`,
      },
    ];
  });
}

function forced(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const ks of ofKind(c, 'Kustomization', 'fluxcd.io')) {
    if (get(ks.body, ['spec', 'force']) === true)
      out.push({
        obj: ks,
        path: ['spec', 'force'],
        message: 'force: true recreates objects on immutable-field changes on every apply',
      });
  }
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) {
    for (const phase of ['install', 'upgrade', 'rollback']) {
      if (get(hr.body, ['spec', phase, 'force']) === true)
        out.push({
          obj: hr,
          path: ['spec', phase, 'force'],
          message: `${phase}.force: true replaces resources on every ${phase}`,
        });
    }
  }
  return out;
}

export const fluxChecks: Check[] = [
  {
    id: 'FLX001',
    severity: 'error',
    title: 'CRD and its resources in one Kustomization',
    description:
      'Flux dry-runs a Kustomization before applying it; resources whose CRD is in the same apply fail with "no matches for kind".',
    hint: 'Move the CRDs into their own Kustomization and make this one dependsOn it.',
    run: ({ cluster }) => crdsWithResources(cluster),
  },
  {
    id: 'FLX002',
    severity: 'error',
    title: 'Helm chart version not pinned',
    description:
      'A HelmRelease/HelmChart without a version (defaults to `*`) or with a semver range upgrades whenever upstream publishes.',
    hint: 'Pin an exact chart version, e.g. version: "1.19.4".',
    run: ({ cluster }) => floatingCharts(cluster),
  },
  {
    id: 'FLX003',
    severity: 'error',
    title: 'Pruned Namespace or CRD without protection',
    description:
      'With prune: true, Flux deletes objects that leave the Kustomization; for a Namespace or CRD that deletes every object inside or of that type.',
    hint: 'Label or annotate the object with kustomize.toolkit.fluxcd.io/prune: disabled.',
    run: ({ cluster }) => unprotectedPrune(cluster),
  },
  {
    id: 'FLX004',
    severity: 'error',
    title: 'replicas on a Flagger Canary target',
    description:
      "Flagger scales a Canary's target itself; a replicas field in Git makes Flux undo that on every reconcile.",
    hint: 'Remove spec.replicas from the target (use an HPA via the Canary autoscalerRef).',
    run: ({ cluster }) => replicasOnCanaryTarget(cluster),
  },
  {
    id: 'FLX005',
    severity: 'warning',
    title: 'force: true committed',
    description:
      'Forced applies delete and recreate objects; they are meant as a temporary fix, not a committed setting.',
    hint: 'Remove force: true once the immutable change has rolled out.',
    run: ({ cluster }) => forced(cluster),
  },
];
