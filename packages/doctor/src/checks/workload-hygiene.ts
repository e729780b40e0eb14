// Container mistakes kube-linter and Polaris report by default that the Pod Security checks do not:
// a writable root filesystem, the deprecated serviceAccount field, a variable defined twice, secrets
// written as literals (in env or in a ConfigMap), an SSH port.
import {
  type ContainerRef,
  containers,
  get,
  isObj,
  list,
  ofKind,
  type PodTemplate,
  podTemplates,
} from '../k8s.ts';
import type { Check, ClusterSet, Issue } from '../model.ts';

const eachContainer = (c: ClusterSet, f: (ct: ContainerRef, t: PodTemplate) => Issue[]): Issue[] =>
  podTemplates(c).flatMap((t) => containers(t).flatMap((ct) => f(ct, t)));

const label = (ct: ContainerRef): string =>
  `${ct.init ? 'init container' : 'container'} ${String(ct.c.name ?? '?')}`;

const writableRoot = (c: ClusterSet): Issue[] =>
  eachContainer(c, (ct, t) =>
    get(ct.c, ['securityContext', 'readOnlyRootFilesystem']) === true
      ? []
      : [
          {
            obj: t.obj,
            path: [...ct.path, 'securityContext', 'readOnlyRootFilesystem'],
            message: `${t.obj.kind} ${t.obj.name} ${label(ct)} can write to its root filesystem`,
          },
        ],
  );

// kube-linter deprecated-service-account-field: `serviceAccount` is the old alias; when it differs from
// serviceAccountName the latter wins, and when it is alone readers take it for a typo.
const deprecatedAccountField = (c: ClusterSet): Issue[] =>
  podTemplates(c).flatMap((t) => {
    const old = t.spec.serviceAccount;
    if (typeof old !== 'string' || old === '') return [];
    const name = t.spec.serviceAccountName;
    return [
      {
        obj: t.obj,
        path: [...t.specPath, 'serviceAccount'],
        message:
          typeof name === 'string' && name !== old
            ? `${t.obj.kind} ${t.obj.name} sets the deprecated serviceAccount "${old}", which serviceAccountName "${name}" overrides`
            : `${t.obj.kind} ${t.obj.name} uses the deprecated field serviceAccount ("${old}")`,
      },
    ];
  });

const duplicateEnv = (c: ClusterSet): Issue[] =>
  eachContainer(c, (ct, t) => {
    const seen = new Set<string>();
    return list(ct.c.env).flatMap((e, i) => {
      const name = get(e, ['name']);
      if (typeof name !== 'string') return [];
      if (!seen.has(name)) {
        seen.add(name);
        return [];
      }
      return [
        {
          obj: t.obj,
          path: [...ct.path, 'env', i, 'name'],
          message: `${t.obj.kind} ${t.obj.name} ${label(ct)} defines env ${name} twice; only the last value is used`,
        },
      ];
    });
  });

// Names that announce a credential (Polaris sensitiveContainerEnvVar / sensitiveConfigmapContent,
// kube-linter env-var-secret); names of a credential's location or switch are not credentials.
const SENSITIVE =
  /(secret|passw(or)?d|passphrase|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)/i;
const NOT_A_VALUE =
  /([_.-](file|path|dir|url|uri|endpoint|host|port|name|enabled|ttl|header|type|key[_-]?id|audience|issuer|expiry|timeout|length|size|algorithm|format|scopes?|mode|policy))$/i;
export const sensitiveName = (name: string): boolean => SENSITIVE.test(name) && !NOT_A_VALUE.test(name);
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

const secretInEnv = (c: ClusterSet): Issue[] =>
  eachContainer(c, (ct, t) =>
    list(ct.c.env).flatMap((e, i) => {
      const name = get(e, ['name']);
      const value = get(e, ['value']);
      if (typeof name !== 'string' || typeof value !== 'string' || value === '') return [];
      if (!sensitiveName(name) && !PRIVATE_KEY.test(value)) return [];
      return [
        {
          obj: t.obj,
          path: [...ct.path, 'env', i, 'value'],
          message: `${t.obj.kind} ${t.obj.name} ${label(ct)} sets ${name} to a literal value in the manifest`,
        },
      ];
    }),
  );

const secretInConfigMap = (c: ClusterSet): Issue[] =>
  ofKind(c, 'ConfigMap').flatMap((cm) => {
    const data = get(cm.body, ['data']);
    if (!isObj(data)) return [];
    return Object.entries(data).flatMap(([key, value]) => {
      if (typeof value !== 'string' || value.trim() === '') return [];
      const why = PRIVATE_KEY.test(value)
        ? 'holds a private key'
        : sensitiveName(key) && !value.includes('\n')
          ? `key ${key} names a credential`
          : undefined;
      return why
        ? [
            {
              obj: cm,
              path: ['data', key],
              message: `ConfigMap ${cm.namespace}/${cm.name} ${why}; ConfigMaps are readable by anyone who can read the namespace's config`,
            },
          ]
        : [];
    });
  });

const sshPort = (c: ClusterSet): Issue[] =>
  eachContainer(c, (ct, t) =>
    list(ct.c.ports).flatMap((p, i) =>
      get(p, ['containerPort']) === 22 && (get(p, ['protocol']) ?? 'TCP') === 'TCP'
        ? [
            {
              obj: t.obj,
              path: [...ct.path, 'ports', i, 'containerPort'],
              message: `${t.obj.kind} ${t.obj.name} ${label(ct)} exposes port 22 (SSH)`,
            },
          ]
        : [],
    ),
  );

export const workloadHygieneChecks: Check[] = [
  {
    id: 'WKL001',
    opinion: true,
    severity: 'warning',
    title: 'Writable root filesystem',
    description:
      'A container without securityContext.readOnlyRootFilesystem: true lets a compromised process modify its own binaries and configuration (kube-linter no-read-only-root-fs, Polaris notReadOnlyRootFilesystem).',
    hint: 'Set readOnlyRootFilesystem: true and mount an emptyDir where the process must write (e.g. /tmp).',
    run: ({ cluster }) => writableRoot(cluster),
  },
  {
    id: 'WKL002',
    severity: 'warning',
    title: 'Deprecated serviceAccount field',
    description:
      'The pod field serviceAccount is a deprecated alias of serviceAccountName; when both are set and differ, serviceAccountName wins silently (kube-linter deprecated-service-account-field).',
    hint: 'Use serviceAccountName only.',
    run: ({ cluster }) => deprecatedAccountField(cluster),
  },
  {
    id: 'WKL003',
    severity: 'warning',
    title: 'Environment variable defined twice',
    description:
      'A container env list with the same name twice keeps only the last definition, so the first value silently never applies (kube-linter duplicate-env-var).',
    hint: 'Keep one definition per variable.',
    run: ({ cluster }) => duplicateEnv(cluster),
  },
  {
    id: 'WKL004',
    severity: 'error',
    title: 'Credential written into an environment variable',
    description:
      'An env var whose name announces a secret, password, token or key (or whose value is a private key) is set to a literal value: the credential is committed to Git and visible to anyone who can read the workload (kube-linter env-var-secret, Polaris sensitiveContainerEnvVar).',
    hint: 'Take the value from a Secret with valueFrom.secretKeyRef (or mount it as a file).',
    run: ({ cluster }) => secretInEnv(cluster),
  },
  {
    id: 'WKL005',
    severity: 'error',
    title: 'Credential stored in a ConfigMap',
    description:
      'A ConfigMap key that names a secret, password, token or key with a one-line value, or any value holding a PEM private key: ConfigMaps are not secret and are committed in clear (Polaris sensitiveConfigmapContent, kube-linter configmap-with-credentials).',
    hint: 'Move the value into a Secret (sealed or pulled from a secret store) and reference it from there.',
    run: ({ cluster }) => secretInConfigMap(cluster),
  },
  {
    id: 'WKL006',
    severity: 'warning',
    title: 'Container exposes SSH',
    description:
      'A container port 22/TCP suggests an SSH daemon in the container, a standing way in that bypasses the mesh identity and the cluster audit trail (kube-linter ssh-port).',
    hint: 'Remove the SSH server; use kubectl exec/debug for access.',
    run: ({ cluster }) => sshPort(cluster),
  },
];
