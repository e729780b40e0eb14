// Per-object suppressions: `meshproof.dev/ignore: "<ID>: <reason>; <ID>: <reason>"`. A suppression
// must say why; one without a reason suppresses nothing and is itself a finding.
import type { Check, K8sObject } from './model.ts';

export const IGNORE_ANNOTATION = 'meshproof.dev/ignore';

export interface Suppression {
  id: string;
  reason: string;
}

export function suppressions(obj: K8sObject): Suppression[] {
  const raw = obj.annotations[IGNORE_ANNOTATION];
  if (raw === undefined) return [];
  return raw
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      return colon < 0
        ? { id: part, reason: '' }
        : { id: part.slice(0, colon).trim(), reason: part.slice(colon + 1).trim() };
    });
}

/** The reason an object gives for accepting check `id`, or undefined when it does not accept it. */
export const suppressionReason = (obj: K8sObject, id: string): string | undefined =>
  suppressions(obj).find((s) => s.id === id && s.reason !== '')?.reason;

const PATH = ['metadata', 'annotations', IGNORE_ANNOTATION];

export const suppressionChecks: Check[] = [
  {
    id: 'SUP001',
    severity: 'error',
    title: 'Suppression without a reason',
    description: `Every ${IGNORE_ANNOTATION} entry must be "<ID>: <reason>" so reviewers can see why a finding is accepted.`,
    hint: `Write the annotation as "<ID>: <why this is acceptable>"; separate several with ";".`,
    run: ({ cluster }) =>
      cluster.objects.flatMap((obj) =>
        suppressions(obj)
          .filter((s) => s.reason === '')
          .map((s) => ({ obj, path: PATH, message: `suppression of ${s.id || '(empty)'} has no reason` })),
      ),
  },
];
