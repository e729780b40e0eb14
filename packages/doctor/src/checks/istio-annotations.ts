// Istio annotations checked against Istio's own catalogue (istio-annotations-catalog.ts, generated from
// istio/api annotation/annotations.yaml at the pinned release), as istioctl analyze does with IST0107,
// IST0108, IST0135 and IST0136 (istio/istio pkg/config/analysis/analyzers/annotations/annotations.go).
// An annotation is Istio's when the domain before its `/` ends in istio.io (plus kubernetes.io/ingress.class,
// which Istio documents too). Labels are not looked at: several Istio keys (istio.io/dataplane-mode,
// sidecar.istio.io/inject) are labels, which this catalogue does not list. istioctl reads Namespaces,
// Services, Pods and Deployments; the doctor reads every workload kind with its pod template (as a Pod) and
// the kinds the catalogue names, and leaves other kinds alone.
import { get, isObj, podTemplates, ref } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { ANNOTATION_VALUES } from './istio-annotation-values.ts';
import { type AnnotationFacts, ISTIO_ANNOTATIONS } from './istio-annotations-catalog.ts';

interface Use {
  obj: K8sObject;
  /** Kind the annotation is judged for: Pod for a workload's pod template. */
  kind: string;
  key: string;
  /** The value as the API server would store it (a YAML number or boolean is taken as its text). */
  value: string;
  facts: AnnotationFacts | undefined;
  path: Path;
  /** Labels next to the annotation (the object's, or its pod template's). */
  labels: Record<string, string>;
  /** How findings name where the annotation is. */
  where: string;
}

const isIstioKey = (key: string): boolean => {
  if (key === 'kubernetes.io/ingress.class') return true;
  const slash = key.indexOf('/');
  return slash > 0 && key.indexOf('/', slash + 1) < 0 && key.slice(0, slash).endsWith('istio.io');
};

function uses(
  obj: K8sObject,
  kind: string,
  annotations: unknown,
  labels: Record<string, string>,
  at: Path,
  where: string,
): Use[] {
  if (!isObj(annotations)) return [];
  return Object.keys(annotations)
    .filter(isIstioKey)
    .map((key) => ({
      obj,
      kind,
      key,
      value: String(annotations[key]),
      facts: ISTIO_ANNOTATIONS.get(key),
      path: [...at, key],
      labels,
      where,
    }));
}

const JUDGED_KINDS = new Set([
  'Namespace',
  'Service',
  'Pod',
  ...[...ISTIO_ANNOTATIONS.values()].flatMap((f) => f.resources),
]);

// Every Istio annotation in the set, computed once per set for the four checks.
const cache = new WeakMap<ClusterSet, Use[]>();
function istioAnnotations(c: ClusterSet): Use[] {
  const hit = cache.get(c);
  if (hit) return hit;
  const templates = podTemplates(c);
  const workloads = new Set(templates.map((t) => t.obj));
  const own = c.objects
    .filter((o) => JUDGED_KINDS.has(o.kind) || workloads.has(o))
    .flatMap((o) =>
      uses(
        o,
        o.kind,
        get(o.body, ['metadata', 'annotations']),
        o.labels,
        ['metadata', 'annotations'],
        ref(o),
      ),
    );
  const inTemplates = templates
    .filter((t) => t.specPath.length > 1)
    .flatMap((t) => {
      const meta = [...t.specPath.slice(0, -1), 'metadata'];
      return uses(
        t.obj,
        'Pod',
        get(t.obj.body, [...meta, 'annotations']),
        t.labels,
        [...meta, 'annotations'],
        `the pod template of ${ref(t.obj)}`,
      );
    });
  const all = [...own, ...inTemplates];
  cache.set(c, all);
  return all;
}

const placed = (u: Use, f: AnnotationFacts): boolean =>
  f.resources.includes('Any') || f.resources.includes(u.kind);

// Like istioctl, the deprecated inject annotation is let be when the label that replaces it is there too:
// keeping both is a deliberate choice for older control planes.
const INJECT = 'sidecar.istio.io/inject';
const besideItsLabel = (u: Use): boolean => u.key === INJECT && INJECT in u.labels;

const issue = (u: Use, message: string): Issue => ({ obj: u.obj, path: u.path, message });

export const istioAnnotationChecks: Check[] = [
  {
    id: 'IST107',
    severity: 'warning',
    title: 'Istio annotation on the wrong kind',
    description:
      "An Istio annotation on a kind Istio's catalogue does not list for it is ignored; a pod annotation belongs on the pod template, not on the Deployment (istioctl IST0107).",
    hint: 'Move the annotation to the kind it is meant for (pod annotations under spec.template.metadata.annotations).',
    run: ({ cluster }) =>
      istioAnnotations(cluster).flatMap((u) =>
        u.facts && !placed(u, u.facts)
          ? [
              issue(
                u,
                `annotation ${u.key} on ${u.where} is for ${u.facts.resources.join(', ')}, not ${u.kind}: Istio ignores it here`,
              ),
            ]
          : [],
      ),
  },
  {
    id: 'IST108',
    severity: 'warning',
    title: 'Unknown Istio annotation',
    description:
      "An annotation in an istio.io domain that Istio's catalogue for the pinned release does not define is ignored, usually a typo or a label written as an annotation (istioctl IST0108).",
    hint: 'Check the spelling and case against the Istio annotation reference; keys such as istio.io/dataplane-mode and istio.io/use-waypoint are labels.',
    run: ({ cluster }) =>
      istioAnnotations(cluster).flatMap((u) =>
        u.facts
          ? []
          : [issue(u, `annotation ${u.key} on ${u.where} is not an Istio annotation: Istio ignores it`)],
      ),
  },
  {
    id: 'IST125',
    severity: 'warning',
    title: 'Invalid Istio annotation value',
    description:
      'A sidecar annotation whose value the injector refuses (interception mode, status and readiness numbers, traffic port lists and CIDR ranges, merge-metrics) makes injection fail for the pod (istioctl IST0125).',
    hint: 'Write the value in the form the annotation takes: comma separated ports or CIDR ranges without spaces, whole numbers, REDIRECT/TPROXY/NONE, true/false.',
    run: ({ cluster }) =>
      istioAnnotations(cluster).flatMap((u) => {
        if (!u.facts || !placed(u, u.facts)) return [];
        const why = ANNOTATION_VALUES.get(u.key)?.(u.value);
        return why ? [issue(u, `annotation ${u.key} on ${u.where} has an invalid value: ${why}`)] : [];
      }),
  },
  {
    id: 'IST135',
    severity: 'info',
    title: 'Deprecated Istio annotation',
    description:
      'An Istio annotation the catalogue of the pinned release marks deprecated may stop working in a later release (istioctl IST0135).',
    hint: 'Use the replacement the Istio annotation reference names (often a label or a ProxyConfig field).',
    run: ({ cluster }) =>
      istioAnnotations(cluster).flatMap((u) =>
        u.facts?.deprecated && placed(u, u.facts) && !besideItsLabel(u)
          ? [
              issue(
                u,
                `annotation ${u.key} on ${u.where} is deprecated in Istio${u.key === INJECT ? ': use the sidecar.istio.io/inject label' : ''}`,
              ),
            ]
          : [],
      ),
  },
  {
    id: 'IST136',
    severity: 'info',
    title: 'Alpha Istio annotation',
    description:
      'An Istio annotation the catalogue of the pinned release marks Alpha may change or go away without deprecation (istioctl IST0136). Annotations Istio sets itself are not reported.',
    hint: 'Keep it if you need it, and recheck it on every Istio upgrade.',
    run: ({ cluster }) =>
      istioAnnotations(cluster).flatMap((u) =>
        u.facts && u.facts.status === 'Alpha' && !u.facts.deprecated && !u.facts.hidden && placed(u, u.facts)
          ? [issue(u, `annotation ${u.key} on ${u.where} is an Alpha feature of Istio`)]
          : [],
      ),
  },
];
