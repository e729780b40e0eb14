// Flagger metric templates: a Canary analysis metric with a templateRef needs that MetricTemplate
// (flagger v1.44.0 artifacts/flagger/crd.yaml: templateRef {name, namespace}; the namespace defaults
// to the Canary's). Without it the analysis cannot run its query and the rollout halts.
// Webhooks are free-form URLs and are not checked.
import { get, isObj, list, named, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue } from '../model.ts';

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
];
