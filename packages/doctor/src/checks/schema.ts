// Syntax and schema: every document parses, has a kind the pinned upstream schemas know, and
// matches that kind's schema with strict field validation.
import { type LocalKinds, localKinds, type SchemaIssue, type SchemaIssueKind } from '@meshproof/schemas';
import { group, releasesOf } from '../k8s.ts';
import type { Check, CheckContext, ClusterSet, Issue, K8sObject } from '../model.ts';
import { crdProblems } from './malformed.ts';

// API groups whose CRDs ship inside a chart that has no pinned schema in the lock: when the cluster
// installs that chart, its kinds are known to exist but cannot be validated field by field.
const CHART_GROUPS: Record<string, string[]> = {
  'cert-manager': ['cert-manager.io', 'acme.cert-manager.io'],
  'trust-manager': ['trust.cert-manager.io'],
  'kube-prometheus-stack': ['monitoring.coreos.com'],
};

function installingChart(cluster: ClusterSet, obj: K8sObject): string | undefined {
  const g = group(obj.apiVersion);
  return Object.entries(CHART_GROUPS).find(
    ([chart, groups]) => groups.includes(g) && releasesOf(cluster, chart).length > 0,
  )?.[0];
}

const results = new WeakMap<K8sObject, Promise<SchemaIssue[]>>();
const inputCrds = new WeakMap<ClusterSet, LocalKinds>();

// CRDs committed next to their resources define kinds too; they win over the pinned schemas.
function localCrds(cluster: ClusterSet): LocalKinds {
  let local = inputCrds.get(cluster);
  if (!local) {
    // A malformed CRD is OBJ001's finding; it defines no kind here.
    local = localKinds(
      cluster.objects
        .filter((o) => o.kind === 'CustomResourceDefinition' && crdProblems(o.body).length === 0)
        .map((o) => o.body),
    );
    inputCrds.set(cluster, local);
  }
  return local;
}

function schemaIssues(ctx: CheckContext, obj: K8sObject): Promise<SchemaIssue[]> {
  let r = results.get(obj);
  if (!r) {
    let local: SchemaIssue[] | undefined;
    try {
      local = localCrds(ctx.cluster).validate(obj.body);
    } catch (error) {
      // A committed CRD whose schema does not compile: say so on the object instead of failing the run.
      local = [
        {
          kind: 'invalid',
          path: [],
          message: `its CRD schema does not compile (${(error as Error).message})`,
        },
      ];
    }
    r = local
      ? Promise.resolve(local)
      : (ctx.validator as NonNullable<CheckContext['validator']>).validate(obj.body);
    results.set(obj, r);
  }
  return r;
}

const bySchema =
  (kind: SchemaIssueKind, chartProvided = false) =>
  async (ctx: CheckContext): Promise<Issue[]> => {
    if (!ctx.validator) return [];
    const out: Issue[] = [];
    for (const obj of ctx.cluster.objects) {
      const chart = kind === 'unknown-kind' ? installingChart(ctx.cluster, obj) : undefined;
      if ((chart !== undefined) !== chartProvided) continue;
      for (const i of await schemaIssues(ctx, obj)) {
        if (i.kind !== kind) continue;
        const message = chart
          ? `${obj.kind}: ${obj.apiVersion} comes from the ${chart} chart installed in this cluster; no pinned schema, so its fields are not validated`
          : `${obj.kind || 'document'}: ${i.message}`;
        out.push({ obj, path: i.path, message });
      }
    }
    return out;
  };

export const schemaChecks: Check[] = [
  {
    id: 'YAML001',
    severity: 'error',
    title: 'Malformed YAML',
    description: 'The file does not parse as YAML (or a document is not a mapping), so Flux cannot apply it.',
    hint: 'Fix the syntax at the reported position; Helm templates must be rendered before they are committed.',
    run: ({ cluster }) =>
      cluster.problems.map((p) => ({ file: p.file, offset: p.offset, message: p.message })),
  },
  {
    id: 'SCH001',
    severity: 'error',
    title: 'Unknown kind or API version',
    description:
      'The apiVersion/kind is neither a built-in Kubernetes kind, nor a CRD version of the pinned upstream releases, nor defined by a CRD in the same cluster directory; the API server would refuse it.',
    hint: 'Check the spelling and the API version against the pinned CRDs (`./dev meshproof schemas sync` fetches them).',
    run: bySchema('unknown-kind'),
  },
  {
    id: 'SCH002',
    severity: 'error',
    title: 'Unknown field',
    description:
      'A field the schema does not define: with strict field validation it is rejected, otherwise silently dropped.',
    hint: 'Remove the field or fix its spelling/indentation.',
    run: bySchema('unknown-field'),
  },
  {
    id: 'SCH003',
    severity: 'error',
    title: 'Schema violation',
    description: 'A value has the wrong type, format or enum value, or a required field is missing.',
    hint: 'Make the value match the type the upstream CRD (or Kubernetes API) declares.',
    run: bySchema('invalid'),
  },
  {
    id: 'SCH004',
    severity: 'warning',
    title: 'Kind from an installed chart, not validated',
    description:
      'The kind belongs to a chart this cluster installs (cert-manager, trust-manager, kube-prometheus-stack) whose CRDs are not in the pinned schema lock, so it exists but its fields are not checked.',
    hint: 'Review these objects against the chart version pinned in the HelmRelease; commit the CRDs beside them to have them validated.',
    run: bySchema('unknown-kind', true),
  },
];
