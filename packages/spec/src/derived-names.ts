import type { App } from './types.ts';

/**
 * Service names the platform derives from an app. A Service name is a DNS-1035 label: at most 63
 * characters, starting with a letter. The render and Flagger create these Services, so a name the
 * spec accepts must keep every one of them valid (render/src/workload/names.ts builds the same names).
 */
export interface DerivedName {
  name: string;
  /** What creates it, for the message. */
  what: string;
  /** The spec field that decides the name. */
  field: string;
}

const canaryOn = (app: App) => app.canary?.enabled === true;

export function derivedServiceNames(app: App): DerivedName[] {
  if (app.port === undefined) return [];
  const own: DerivedName = { name: app.name, what: 'the app Service', field: 'name' };
  if (canaryOn(app)) {
    // Flagger's fixed suffixes (its Deployment, HPA and `app` label value carry `-primary` too).
    return [
      own,
      { name: `${app.name}-primary`, what: 'the primary Service Flagger creates', field: 'name' },
      { name: `${app.name}-canary`, what: 'the canary Service Flagger creates', field: 'name' },
    ];
  }
  if (app.versions.length < 2) return [own];
  return [
    own,
    ...app.versions.map((v, j) => ({
      name: `${app.name}-${v.name}`,
      what: `the Service of version "${v.name}"`,
      field: `versions[${j}].name`,
    })),
  ];
}

export const MAX_SERVICE_NAME = 63;

/**
 * Why `name` is not a valid Service name, or undefined. Derived names join DNS-1123 labels the
 * schema already checked with "-", so of DNS-1035's rules only the length and the leading letter
 * can still fail.
 */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length > MAX_SERVICE_NAME)
    return `would be ${name.length} characters long; Kubernetes allows ${MAX_SERVICE_NAME}`;
  if (!/^[a-z]/.test(name)) return 'would not start with a letter, as a Service name (a DNS-1035 label) must';
  return undefined;
}
