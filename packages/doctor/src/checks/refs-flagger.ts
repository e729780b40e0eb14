// Flagger metric templates: a Canary analysis metric with a templateRef needs that MetricTemplate
// (flagger v1.44.0 artifacts/flagger/crd.yaml: templateRef {name, namespace}; the namespace defaults
// to the Canary's). Without it the analysis cannot run its query and the rollout halts.
// Webhooks are free-form URLs and are not checked. The Canary's other references (same CRD): the
// autoscalerRef, alert providerRefs, and the gateways its generated routes attach to
// (service.gateways for Istio, service.gatewayRefs for Gateway API).
import { get, isObj, list, named, ofKind, strs } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { canaryServicePorts } from './references.ts';
import { istioGatewayRef } from './refs-istio.ts';

function missingTemplates(c: ClusterSet): Issue[] {
  return ofKind(c, 'Canary', 'flagger.app').flatMap((canary) =>
    list(get(canary.body, ['spec', 'analysis', 'metrics'])).flatMap((m, i) => {
      const ref = get(m, ['templateRef']);
      if (!isObj(ref) || typeof ref.name !== 'string') return [];
      const ns = typeof ref.namespace === 'string' ? ref.namespace : canary.namespace;
      if (named(c, 'MetricTemplate', ns, ref.name).some((t) => t.apiVersion.startsWith('flagger.app/')))
        return [];
      return [
        {
          obj: canary,
          path: ['spec', 'analysis', 'metrics', i, 'templateRef', 'name'],
          message: `metric "${String(get(m, ['name']))}" uses MetricTemplate ${ns}/${ref.name}, which is not defined in this cluster; the analysis fails and the canary is rolled back`,
          absent: true,
        },
      ];
    }),
  );
}

interface CanaryRef {
  what: string;
  path: Path;
  exists: boolean;
}

const inGroup = (group: string) => (o: K8sObject) => o.apiVersion.startsWith(`${group}/`);

function canaryRefs(c: ClusterSet, canary: K8sObject): CanaryRef[] {
  const ns = canary.namespace;
  const out: CanaryRef[] = [];
  const scaler = get(canary.body, ['spec', 'autoscalerRef']);
  if (isObj(scaler) && typeof scaler.name === 'string' && typeof scaler.kind === 'string') {
    const group = scaler.kind === 'ScaledObject' ? 'keda.sh' : 'autoscaling';
    out.push({
      what: `autoscalerRef ${scaler.kind} ${ns}/${scaler.name}`,
      path: ['spec', 'autoscalerRef', 'name'],
      exists: named(c, scaler.kind, ns, scaler.name).some(inGroup(group)),
    });
  }
  list(get(canary.body, ['spec', 'analysis', 'alerts'])).forEach((a, i) => {
    const ref = get(a, ['providerRef']);
    if (!isObj(ref) || typeof ref.name !== 'string') return;
    const pns = typeof ref.namespace === 'string' ? ref.namespace : ns;
    out.push({
      what: `alert providerRef AlertProvider ${pns}/${ref.name}`,
      path: ['spec', 'analysis', 'alerts', i, 'providerRef', 'name'],
      exists: named(c, 'AlertProvider', pns, ref.name).some(inGroup('flagger.app')),
    });
  });
  strs(get(canary.body, ['spec', 'service', 'gateways'])).forEach((g, i) => {
    const ref = istioGatewayRef(g, ns);
    if (!ref) return;
    out.push({
      what: `service.gateways Istio Gateway ${ref[0]}/${ref[1]}`,
      path: ['spec', 'service', 'gateways', i],
      exists: named(c, 'Gateway', ref[0], ref[1]).some((o) => o.apiVersion.includes('istio.io')),
    });
  });
  list(get(canary.body, ['spec', 'service', 'gatewayRefs'])).forEach((r, i) => {
    if (!isObj(r) || typeof r.name !== 'string') return;
    const group = typeof r.group === 'string' ? r.group : 'gateway.networking.k8s.io';
    const kind = typeof r.kind === 'string' ? r.kind : 'Gateway';
    const rns = typeof r.namespace === 'string' ? r.namespace : ns;
    const path = ['spec', 'service', 'gatewayRefs', i, 'name'];
    if (group === 'gateway.networking.k8s.io' && kind === 'Gateway')
      out.push({
        what: `gatewayRef Gateway ${rns}/${r.name}`,
        path,
        exists: named(c, kind, rns, r.name).some(inGroup(group)),
      });
    else if (group === '' && kind === 'Service')
      out.push({
        what: `gatewayRef Service ${rns}/${r.name}`,
        path,
        exists:
          named(c, kind, rns, r.name).some((o) => o.apiVersion === 'v1') ||
          canaryServicePorts(c, rns, r.name) !== undefined,
      });
  });
  return out;
}

function missingCanaryRefs(c: ClusterSet): Issue[] {
  return ofKind(c, 'Canary', 'flagger.app').flatMap((canary) =>
    canaryRefs(c, canary)
      .filter((r) => !r.exists)
      .map((r) => ({
        obj: canary,
        path: r.path,
        message: `${r.what} is not defined in this cluster; Flagger cannot ${r.what.startsWith('autoscaler') ? 'scale the primary' : r.what.startsWith('alert') ? 'send these alerts' : 'attach the routes it generates there'}`,
        absent: true,
      })),
  );
}

export const flaggerReferenceChecks: Check[] = [
  {
    id: 'REF031',
    severity: 'error',
    title: 'Flagger MetricTemplate missing',
    description:
      'A Canary analysis metric’s templateRef names a MetricTemplate that does not exist (its namespace defaults to the Canary’s), so Flagger cannot run the check and the canary never promotes.',
    hint: 'Define the MetricTemplate (flagger.app) in the Canary’s namespace, or set templateRef.namespace to where it lives.',
    run: ({ cluster }) => missingTemplates(cluster),
  },
  {
    id: 'REF038',
    severity: 'error',
    title: 'Flagger Canary reference missing',
    description:
      'A Canary’s autoscalerRef (HorizontalPodAutoscaler or KEDA ScaledObject in its namespace), an alert’s providerRef (AlertProvider), a service.gateways entry (Istio Gateway) or a service.gatewayRefs entry (Gateway API Gateway, or a Service for mesh routing, Flagger’s generated ones included) names an object that does not exist.',
    hint: 'Fix the name/namespace of the reference, or add the HPA, AlertProvider or Gateway it names.',
    run: ({ cluster }) => missingCanaryRefs(cluster),
  },
];
