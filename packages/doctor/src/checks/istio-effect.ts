// Istio configuration that is rejected by the CRDs' CEL rules (which the schema checks do not evaluate),
// or that is accepted but does nothing, or not what it looks like: unreachable route rules, rule-less
// DENY policies, access logging without a provider, Sidecars in ambient namespaces, the proxy's UID.
import { containers, get, helmValues, isObj, list, ofKind, podTemplates, strs } from '../k8s.ts';
import { isAmbientNamespace } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

const ISTIO_GROUPS = ['istio.io'];
const istioObjects = (c: ClusterSet): K8sObject[] =>
  c.objects.filter((o) => ISTIO_GROUPS.some((g) => o.apiVersion.split('/')[0]?.endsWith(g)));

// Selector label maps the CRDs forbid wildcards in: every matchLabels in keys and values; the
// workloadSelector.labels of Sidecar, ServiceEntry and EnvoyFilter only in values (their keys have no rule).
const LABEL_MAPS: { labelsPath: string[]; keys: boolean }[] = [
  { labelsPath: ['selector', 'matchLabels'], keys: true },
  { labelsPath: ['workloadSelector', 'labels'], keys: false },
  { labelsPath: ['workloadSelector', 'matchLabels'], keys: true },
];

// The x-kubernetes-validations of the pinned Istio CRDs (manifests/charts/base/files/crd-all.gen.yaml):
// the API server refuses these objects, so Flux's apply of the whole Kustomization fails.
function celRules(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  const issue = (obj: K8sObject, path: Path, message: string) => out.push({ obj, path, message });
  for (const o of istioObjects(c)) {
    const spec = o.body.spec;
    if (!isObj(spec)) continue;
    const selector =
      spec.selector !== undefined
        ? 'selector'
        : spec.workloadSelector !== undefined
          ? 'workloadSelector'
          : undefined;
    const target =
      spec.targetRefs !== undefined ? 'targetRefs' : spec.targetRef !== undefined ? 'targetRef' : undefined;
    if (selector && target)
      issue(
        o,
        ['spec', target],
        `${o.kind} ${o.name} sets both ${selector} and ${target}; only one may be set`,
      );
    // The rule counts every attachment, so the deprecated targetRef next to targetRefs is refused too.
    if (spec.targetRef !== undefined && spec.targetRefs !== undefined)
      issue(
        o,
        ['spec', 'targetRef'],
        `${o.kind} ${o.name} sets both targetRef and targetRefs; only one may be set`,
      );
    const refs = target === 'targetRefs' ? list(spec.targetRefs) : target ? [spec.targetRef] : [];
    refs.forEach((r, i) => {
      const ns = get(r, ['namespace']);
      if (typeof ns === 'string' && ns !== '')
        issue(
          o,
          target === 'targetRefs'
            ? ['spec', 'targetRefs', i, 'namespace']
            : ['spec', 'targetRef', 'namespace'],
          `${o.kind} ${o.name} targets ${String(get(r, ['kind']))} ${String(get(r, ['name']))} in namespace ${ns}; cross-namespace targetRefs are rejected`,
        );
    });
    for (const { labelsPath, keys } of LABEL_MAPS) {
      const labels = get(spec, labelsPath);
      if (!isObj(labels)) continue;
      for (const [k, v] of Object.entries(labels))
        if ((keys && k.includes('*')) || String(v).includes('*'))
          issue(
            o,
            ['spec', ...labelsPath, k],
            `${o.kind} ${o.name}: wildcard in selector label ${k}=${String(v)} is rejected`,
          );
    }
  }
  for (const pa of ofKind(c, 'PeerAuthentication', 'istio.io')) {
    const labels = get(pa.body, ['spec', 'selector', 'matchLabels']);
    if (
      get(pa.body, ['spec', 'portLevelMtls']) !== undefined &&
      !(isObj(labels) && Object.keys(labels).length > 0)
    )
      out.push({
        obj: pa,
        path: ['spec', 'portLevelMtls'],
        message: `PeerAuthentication ${pa.name} sets portLevelMtls without a selector with matchLabels; it is rejected`,
      });
  }
  for (const ap of ofKind(c, 'AuthorizationPolicy', 'istio.io')) {
    list(get(ap.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['from'])).forEach((from, f) => {
        const source = get(from, ['source']);
        const accounts = ['serviceAccounts', 'notServiceAccounts'].find(
          (k) => get(source, [k]) !== undefined,
        );
        const other = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].find(
          (k) => get(source, [k]) !== undefined,
        );
        if (accounts && other)
          out.push({
            obj: ap,
            path: ['spec', 'rules', r, 'from', f, 'source', accounts],
            message: `AuthorizationPolicy ${ap.name} combines source.${accounts} with source.${other}; it is rejected`,
          });
      });
    });
  }
  return out;
}

/** A route match with only a name (or nothing) matches every request. */
const matchAll = (m: unknown): boolean => !isObj(m) || Object.keys(m).every((k) => k === 'name');
const matchKey = (m: unknown): string =>
  JSON.stringify(
    isObj(m)
      ? Object.fromEntries(
          Object.entries(m)
            .filter(([k]) => k !== 'name')
            .sort(),
        )
      : m,
  );

interface RuleFinding {
  path: Path;
  message: string;
  unreachable: boolean;
}

// Istio's VirtualService validation reads rules in order: a rule after one that matches everything, or
// whose every match repeats an earlier one, is never used (IST0130); a single repeated match is dead (IST0131).
function ruleOrder(vs: K8sObject): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const kind of ['http', 'tls', 'tcp']) {
    let catchAll: number | undefined;
    const seen = new Map<string, number>();
    list(get(vs.body, ['spec', kind])).forEach((rule, r) => {
      const matches = list(get(rule, ['match']));
      const label = `${kind}[${r}]`;
      if (catchAll !== undefined) {
        out.push({
          path: ['spec', kind, r],
          message: `VirtualService ${vs.name} rule ${label} is never used: rule ${kind}[${catchAll}] before it matches every request`,
          unreachable: true,
        });
        return;
      }
      if (matches.length === 0 || matches.some(matchAll)) {
        catchAll = r;
        return;
      }
      const repeats: [number, number][] = [];
      matches.forEach((m, i) => {
        const key = matchKey(m);
        const earlier = seen.get(key);
        if (earlier === undefined) seen.set(key, r);
        else repeats.push([i, earlier]);
      });
      if (repeats.length === matches.length)
        out.push({
          path: ['spec', kind, r],
          message: `VirtualService ${vs.name} rule ${label} is never used: every match repeats an earlier rule's`,
          unreachable: true,
        });
      else
        for (const [i, earlier] of repeats)
          out.push({
            path: ['spec', kind, r, 'match', i],
            message: `VirtualService ${vs.name} rule ${label} match ${i} is never used: rule ${kind}[${earlier}] has the same match`,
            unreachable: false,
          });
    });
  }
  return out;
}

const routeRules = (c: ClusterSet, unreachable: boolean): Issue[] =>
  ofKind(c, 'VirtualService', 'istio.io').flatMap((vs) =>
    ruleOrder(vs)
      .filter((f) => f.unreachable === unreachable)
      .map((f) => ({ obj: vs, path: f.path, message: f.message })),
  );

// An AuthorizationPolicy with DENY or AUDIT and no rules matches nothing (the IST0133 schema warning);
// for ALLOW, no rules means allow-nothing, which is the intended default-deny form.
const rulelessPolicies = (c: ClusterSet): Issue[] =>
  ofKind(c, 'AuthorizationPolicy', 'istio.io').flatMap((ap) => {
    const action = get(ap.body, ['spec', 'action']);
    if ((action !== 'DENY' && action !== 'AUDIT') || list(get(ap.body, ['spec', 'rules'])).length > 0)
      return [];
    return [
      {
        obj: ap,
        path: ['spec', 'action'],
        message: `${String(action)} AuthorizationPolicy ${ap.namespace}/${ap.name} has no rules, so it matches no request and has no effect`,
      },
    ];
  });

// `rules: [{}]` under ALLOW is Istio's documented allow-all: it lifts any allow-nothing baseline for the
// selected workloads (the whole namespace, or the mesh from the root namespace).
const allowAll = (c: ClusterSet): Issue[] =>
  ofKind(c, 'AuthorizationPolicy', 'istio.io').flatMap((ap) => {
    const action = get(ap.body, ['spec', 'action']) ?? 'ALLOW';
    if (action !== 'ALLOW') return [];
    return list(get(ap.body, ['spec', 'rules'])).flatMap((rule, r) =>
      isObj(rule) && ['from', 'to', 'when'].every((k) => list(rule[k]).length === 0)
        ? [
            {
              obj: ap,
              path: ['spec', 'rules', r],
              message: `AuthorizationPolicy ${ap.namespace}/${ap.name} rule ${r} has no from, to or when: it allows every request`,
            },
          ]
        : [],
    );
  });

// telemetry.ProviderAnalyzer: without meshConfig.defaultProviders.accessLogging, an access-logging
// entry that names no provider is ignored. The istiod chart's own meshConfig sets no defaultProviders
// (manifests/charts/istio-control/istio-discovery/values.yaml), so an istiod release among the files
// settles it even when its values leave meshConfig out; only without one may it be set elsewhere.
function loggingWithoutProvider(c: ClusterSet): Issue[] {
  const values = helmValues(c, 'istiod');
  if (strs(get(values, ['meshConfig', 'defaultProviders', 'accessLogging'])).length > 0) return [];
  const known = values !== undefined;
  return ofKind(c, 'Telemetry', 'istio.io').flatMap((t) =>
    list(get(t.body, ['spec', 'accessLogging'])).flatMap((l, i) =>
      get(l, ['disabled']) === true || list(get(l, ['providers'])).length > 0
        ? []
        : [
            {
              obj: t,
              path: ['spec', 'accessLogging', i],
              message: `Telemetry ${t.namespace}/${t.name} accessLogging[${i}] names no provider and ${known ? 'the istiod meshConfig sets' : 'no istiod HelmRelease here sets'} no defaultProviders.accessLogging: it is ignored`,
              absent: !known,
            },
          ],
    ),
  );
}

// A Sidecar resource configures sidecar proxies; an ambient namespace has none (IST0167).
const sidecarInAmbient = (c: ClusterSet): Issue[] =>
  ofKind(c, 'Sidecar', 'istio.io')
    .filter((s) => isAmbientNamespace(c, s.namespace))
    .map((s) => ({
      obj: s,
      path: ['metadata', 'namespace'],
      message: `Sidecar ${s.name} is in namespace ${s.namespace}, which runs in ambient mode: it has no effect there`,
    }));

const PROXY_UID = 1337;

// deployment.ApplicationUIDAnalyzer: the proxy's traffic capture exempts UID 1337, so an app running as
// that UID bypasses the sidecar (its outbound traffic is neither mTLS'd nor policed).
function proxyUid(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const t of podTemplates(c)) {
    if (get(t.spec, ['securityContext', 'runAsUser']) === PROXY_UID)
      out.push({
        obj: t.obj,
        path: [...t.specPath, 'securityContext', 'runAsUser'],
        message: `${t.obj.kind} ${t.obj.name} runs its pod as UID 1337, the UID reserved for the Istio proxy`,
      });
    for (const ct of containers(t)) {
      if (ct.c.name === 'istio-proxy') continue;
      if (get(ct.c, ['securityContext', 'runAsUser']) === PROXY_UID)
        out.push({
          obj: t.obj,
          path: [...ct.path, 'securityContext', 'runAsUser'],
          message: `${t.obj.kind} ${t.obj.name} container ${String(ct.c.name)} runs as UID 1337, the UID reserved for the Istio proxy`,
        });
    }
  }
  return out;
}

export const istioEffectChecks: Check[] = [
  {
    id: 'IST106',
    severity: 'error',
    title: 'Istio object breaks a CRD validation rule',
    description:
      "The pinned Istio CRDs' CEL rules, which schema validation (SCH001) does not evaluate: selector/workloadSelector together with targetRef(s), targetRef together with targetRefs, cross-namespace targetRefs, wildcards in selector labels, PeerAuthentication portLevelMtls without a selector, source.serviceAccounts combined with principals or namespaces. The API server rejects the object (istioctl IST0106).",
    hint: 'Keep one attachment (selector or targetRefs) in the policy namespace, exact labels, and one way of naming sources.',
    run: ({ cluster }) => celRules(cluster),
  },
  {
    id: 'IST130',
    severity: 'warning',
    title: 'VirtualService rule never used',
    description:
      'A VirtualService http/tls/tcp rule placed after a rule that matches every request, or whose every match repeats an earlier rule, is never reached (istioctl IST0130).',
    hint: 'Move the catch-all rule last and drop or narrow the repeated matches.',
    run: ({ cluster }) => routeRules(cluster, true),
  },
  {
    id: 'IST131',
    severity: 'info',
    title: 'VirtualService match never used',
    description:
      'One match of a VirtualService rule repeats a match of an earlier rule, so requests it describes always take the earlier rule (istioctl IST0131).',
    hint: 'Remove the repeated match or move it to the rule that should win.',
    run: ({ cluster }) => routeRules(cluster, false),
  },
  {
    id: 'IST133',
    severity: 'warning',
    title: 'DENY or AUDIT AuthorizationPolicy without rules',
    description:
      'An AuthorizationPolicy with action DENY or AUDIT and no rules matches no request, so it denies or audits nothing (the IST0133 validation warning); the author usually meant a deny-all, which is ALLOW with no rules.',
    hint: 'For deny-all use `spec: {}` (ALLOW without rules); otherwise add the rules the DENY should match.',
    run: ({ cluster }) => rulelessPolicies(cluster),
  },
  {
    id: 'SEC101',
    severity: 'error',
    title: 'Istio ALLOW rule that matches everything',
    description:
      'An ALLOW AuthorizationPolicy rule without from, to or when (`rules: [{}]`) allows every request to the selected workloads, lifting the allow-nothing baseline; in the root namespace it opens the whole mesh.',
    hint: 'Name the sources (principals, namespaces) and operations the rule should allow.',
    run: ({ cluster }) => allowAll(cluster),
  },
  {
    id: 'IST157',
    severity: 'warning',
    title: 'Telemetry access logging without a provider',
    description:
      'A Telemetry accessLogging entry that names no provider while the mesh config (istiod HelmRelease values) has no defaultProviders.accessLogging is ignored: no access logs are written (istioctl IST0157).',
    hint: 'Name a provider (e.g. providers: [{name: envoy}]) or set meshConfig.defaultProviders.accessLogging.',
    run: ({ cluster }) => loggingWithoutProvider(cluster),
  },
  {
    id: 'IST167',
    severity: 'warning',
    title: 'Sidecar resource in an ambient namespace',
    description:
      'A Sidecar resource configures sidecar proxies; in a namespace labelled istio.io/dataplane-mode=ambient there are none, so it has no effect (istioctl IST0167).',
    hint: 'Remove it, or express the egress limits with waypoint/ztunnel policies.',
    run: ({ cluster }) => sidecarInAmbient(cluster),
  },
  {
    id: 'IST144',
    severity: 'warning',
    title: 'Application runs as the Istio proxy UID',
    description:
      "A pod or container (other than istio-proxy) running as UID 1337 shares the proxy's UID, which traffic capture exempts: its traffic bypasses the sidecar (istioctl IST0144).",
    hint: 'Run the application as another non-root UID.',
    run: ({ cluster }) => proxyUid(cluster),
  },
];
