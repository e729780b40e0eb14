// Workload hardening: Pod Security "restricted", probes, resources, pinned images, no token automount.
import {
  type ContainerRef,
  containers,
  get,
  isObj,
  list,
  type PodTemplate,
  podTemplates,
  strs,
} from '../k8s.ts';
import type { Check, ClusterSet, Issue } from '../model.ts';

const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'downwardAPI',
  'emptyDir',
  'projected',
  'secret',
  'csi',
  'persistentVolumeClaim',
  'ephemeral',
  'image',
]);

function podLevel(t: PodTemplate): Issue[] {
  const out: Issue[] = [];
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (t.spec[f] === true)
      out.push({ obj: t.obj, path: [...t.specPath, f], message: `${f}: true is not allowed` });
  }
  list(t.spec.volumes).forEach((v, i) => {
    if (!isObj(v)) return;
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) {
      out.push({
        obj: t.obj,
        path: [...t.specPath, 'volumes', i, type],
        message: `volume type ${type} is not allowed`,
      });
    }
  });
  return out;
}

function containerLevel(t: PodTemplate, ref: ContainerRef): Issue[] {
  const out: Issue[] = [];
  const sc = isObj(ref.c.securityContext) ? ref.c.securityContext : {};
  const podSc = isObj(t.spec.securityContext) ? t.spec.securityContext : {};
  const name = String(ref.c.name ?? '?');
  const at = (field: string) =>
    sc[field] === undefined ? [...ref.path, 'name'] : [...ref.path, 'securityContext', field];
  const issue = (field: string, msg: string) =>
    out.push({ obj: t.obj, path: at(field), message: `container ${name}: ${msg}` });
  if (sc.privileged === true) issue('privileged', 'privileged: true');
  if (sc.allowPrivilegeEscalation !== false)
    issue('allowPrivilegeEscalation', 'allowPrivilegeEscalation must be false');
  if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true)) {
    issue('runAsNonRoot', 'runAsNonRoot must be true (pod or container)');
  }
  if (sc.runAsUser === 0 || (sc.runAsUser === undefined && podSc.runAsUser === 0))
    issue('runAsUser', 'runs as UID 0');
  const seccomp = get(sc, ['seccompProfile', 'type']) ?? get(podSc, ['seccompProfile', 'type']);
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
    issue('seccompProfile', 'seccompProfile must be RuntimeDefault or Localhost');
  if (!strs(get(sc, ['capabilities', 'drop'])).includes('ALL'))
    issue('capabilities', 'capabilities.drop must include ALL');
  const added = strs(get(sc, ['capabilities', 'add'])).filter((c) => c !== 'NET_BIND_SERVICE');
  if (added.length > 0) issue('capabilities', `adds capabilities ${added.join(', ')}`);
  list(ref.c.ports).forEach((p, i) => {
    if (get(p, ['hostPort']) !== undefined)
      out.push({
        obj: t.obj,
        path: [...ref.path, 'ports', i, 'hostPort'],
        message: `container ${name}: hostPort is not allowed`,
      });
  });
  return out;
}

const podSecurity = (c: ClusterSet): Issue[] =>
  podTemplates(c).flatMap((t) => [...podLevel(t), ...containers(t).flatMap((ref) => containerLevel(t, ref))]);

const longRunning = (t: PodTemplate): boolean => !['Job', 'CronJob'].includes(t.obj.kind);

const probes = (c: ClusterSet): Issue[] =>
  podTemplates(c)
    .filter(longRunning)
    .flatMap((t) =>
      containers(t)
        .filter((r) => !r.init)
        .flatMap((r) =>
          ['readinessProbe', 'livenessProbe']
            .filter((p) => r.c[p] === undefined)
            .map((p) => ({
              obj: t.obj,
              path: [...r.path, 'name'],
              message: `container ${String(r.c.name)} has no ${p}`,
            })),
        ),
    );

const REQUIRED_RESOURCES = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
];

const resources = (c: ClusterSet): Issue[] =>
  podTemplates(c).flatMap((t) =>
    containers(t).flatMap((r) => {
      const missing = REQUIRED_RESOURCES.filter((p) => get(r.c.resources, p) === undefined).map((p) =>
        p.join('.'),
      );
      return missing.length === 0
        ? []
        : [
            {
              obj: t.obj,
              path: [...r.path, r.c.resources === undefined ? 'name' : 'resources'],
              message: `container ${String(r.c.name)} has no resources.${missing.join(', resources.')}`,
            },
          ];
    }),
  );

/** Tag of an image reference, '' when there is none; digests count as pinned. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? '' : last.slice(colon + 1);
}

const images = (c: ClusterSet): Issue[] =>
  podTemplates(c).flatMap((t) =>
    containers(t).flatMap((r) => {
      const image = r.c.image;
      if (typeof image !== 'string') return [];
      const tag = imageTag(image);
      if (tag !== '' && tag !== 'latest') return [];
      return [
        {
          obj: t.obj,
          path: [...r.path, 'image'],
          message: `image ${image} is ${tag === '' ? 'untagged (means latest)' : 'tagged latest'}`,
        },
      ];
    }),
  );

function automount(c: ClusterSet): Issue[] {
  return podTemplates(c).flatMap((t) => {
    if (t.spec.automountServiceAccountToken === false) return [];
    const sa = typeof t.spec.serviceAccountName === 'string' ? t.spec.serviceAccountName : 'default';
    const saObj = c.objects.find(
      (o) => o.kind === 'ServiceAccount' && o.namespace === t.obj.namespace && o.name === sa,
    );
    if (
      t.spec.automountServiceAccountToken === undefined &&
      saObj?.body.automountServiceAccountToken === false
    )
      return [];
    const path =
      t.spec.automountServiceAccountToken === undefined
        ? t.specPath
        : [...t.specPath, 'automountServiceAccountToken'];
    return [
      {
        obj: t.obj,
        path,
        message: `pods of ${t.obj.kind} ${t.obj.name} get a Kubernetes API token mounted (ServiceAccount ${sa})`,
      },
    ];
  });
}

export const workloadChecks: Check[] = [
  {
    id: 'SEC005',
    severity: 'error',
    title: 'Pod Security "restricted" violation',
    description:
      'Pod templates must pass the Pod Security Standard "restricted": non-root, no privilege escalation, capabilities drop ALL, RuntimeDefault seccomp, no host namespaces/paths/ports, restricted volume types.',
    hint: 'Set securityContext: runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault.',
    run: ({ cluster }) => podSecurity(cluster),
  },
  {
    id: 'SEC006',
    severity: 'warning',
    title: 'Missing readiness or liveness probe',
    description:
      'Long-running containers need readiness and liveness probes so rollouts and canaries can tell healthy pods from broken ones.',
    hint: 'Add readinessProbe and livenessProbe on a declared container port.',
    run: ({ cluster }) => probes(cluster),
  },
  {
    id: 'SEC007',
    severity: 'warning',
    title: 'Missing resource requests or memory limit',
    description:
      'Containers without CPU/memory requests and a memory limit are scheduled blindly and can starve their neighbours.',
    hint: 'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory.',
    run: ({ cluster }) => resources(cluster),
  },
  {
    id: 'SEC008',
    severity: 'error',
    title: 'Image tagged latest or untagged',
    description:
      'An image without a tag, or tagged latest, changes under the same manifest; GitOps can no longer say what runs.',
    hint: 'Pin an explicit version tag (optionally with @sha256 digest).',
    run: ({ cluster }) => images(cluster),
  },
  {
    id: 'SEC009',
    severity: 'warning',
    title: 'Service account token automounted',
    description:
      'Pods get a Kubernetes API token unless automountServiceAccountToken is false on the pod or its ServiceAccount; mesh proxies use their own projected tokens.',
    hint: 'Set automountServiceAccountToken: false on the pod spec (or the ServiceAccount) unless the app calls the API.',
    run: ({ cluster }) => automount(cluster),
  },
];
