// Workload hardening: Pod Security "baseline" (what the API server's Pod Security admission rejects in a
// namespace enforcing baseline) and "restricted" (meshproof's default stance), probes, resources,
// pinned images, no token automount. Levels and items follow the Pod Security Standards
// (kubernetes/pod-security-admission policy/check_*.go).
import {
  type ContainerRef,
  containers,
  get,
  isObj,
  list,
  named,
  type PodTemplate,
  podTemplates,
  strs,
} from '../k8s.ts';
import { namespaceObject } from '../mesh.ts';
import type { Check, CheckContext, ClusterSet, Issue, PodSecurityLevel } from '../model.ts';

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

// Capabilities baseline allows adding: the container runtime's default set.
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

// Sysctls baseline allows: namespaced ones isolated from other pods (the list grows with Kubernetes
// versions; this is the set for the pinned 1.35).
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

const LEVELS: PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** The level a template is held to: its Namespace's enforce label when present, else the run's default. */
function levelOf(c: ClusterSet, t: PodTemplate, fallback: PodSecurityLevel): PodSecurityLevel {
  const label = namespaceObject(c, t.obj.namespace)?.labels[ENFORCE_LABEL];
  return LEVELS.find((l) => l === label) ?? fallback;
}

const atLeast = (level: PodSecurityLevel, want: PodSecurityLevel): boolean =>
  LEVELS.indexOf(level) >= LEVELS.indexOf(want);

const selinuxCustom = (opts: unknown): string[] =>
  ['type', 'user', 'role'].filter((f) => {
    const v = get(opts, [f]);
    return (
      v !== undefined &&
      v !== '' &&
      !(
        f === 'type' &&
        ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(String(v))
      )
    );
  });

function podBaseline(t: PodTemplate): Issue[] {
  const out: Issue[] = [];
  const at = (path: (string | number)[], message: string) =>
    out.push({ obj: t.obj, path: [...t.specPath, ...path], message });
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (t.spec[f] === true) at([f], `${f}: true is not allowed`);
  list(t.spec.volumes).forEach((v, i) => {
    if (isObj(v) && v.hostPath !== undefined)
      at(['volumes', i, 'hostPath'], 'hostPath volumes are not allowed');
  });
  const sc = isObj(t.spec.securityContext) ? t.spec.securityContext : {};
  list(sc.sysctls).forEach((s, i) => {
    const name = get(s, ['name']);
    if (typeof name === 'string' && !SAFE_SYSCTLS.has(name))
      at(['securityContext', 'sysctls', i, 'name'], `sysctl ${name} is not in the safe set`);
  });
  profileBaseline(sc, at);
  return out;
}

// Pod and container security contexts share these baseline fields, so both levels check them the same way.
function profileBaseline(
  sc: Record<string, unknown>,
  at: (path: (string | number)[], msg: string) => void,
): void {
  if (get(sc, ['seccompProfile', 'type']) === 'Unconfined')
    at(['securityContext', 'seccompProfile', 'type'], 'seccompProfile Unconfined is not allowed');
  if (get(sc, ['appArmorProfile', 'type']) === 'Unconfined')
    at(['securityContext', 'appArmorProfile', 'type'], 'appArmorProfile Unconfined is not allowed');
  for (const f of selinuxCustom(sc.seLinuxOptions))
    at(['securityContext', 'seLinuxOptions', f], `custom SELinux ${f} is not allowed`);
}

function containerBaseline(t: PodTemplate, ref: ContainerRef): Issue[] {
  const out: Issue[] = [];
  const sc = isObj(ref.c.securityContext) ? ref.c.securityContext : {};
  const name = String(ref.c.name ?? '?');
  const at = (path: (string | number)[], msg: string) =>
    out.push({ obj: t.obj, path: [...ref.path, ...path], message: `container ${name}: ${msg}` });
  if (sc.privileged === true) at(['securityContext', 'privileged'], 'privileged: true');
  const added = strs(get(sc, ['capabilities', 'add'])).filter((c) => !BASELINE_CAPABILITIES.has(c));
  if (added.length > 0)
    at(
      ['securityContext', 'capabilities', 'add'],
      `adds capabilities ${added.join(', ')} beyond the baseline set`,
    );
  if (sc.procMount !== undefined && sc.procMount !== 'Default')
    at(
      ['securityContext', 'procMount'],
      `procMount ${String(sc.procMount)} unmasks /proc (only Default is allowed)`,
    );
  profileBaseline(sc, at);
  list(ref.c.ports).forEach((p, i) => {
    if (get(p, ['hostPort']) !== undefined && get(p, ['hostPort']) !== 0)
      at(['ports', i, 'hostPort'], 'hostPort is not allowed');
  });
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'])
    for (const handler of ['httpGet', 'tcpSocket'])
      if (get(ref.c, [probe, handler, 'host']) !== undefined)
        at([probe, handler, 'host'], `${probe}.${handler}.host points the kubelet at another host`);
  return out;
}

function podRestricted(t: PodTemplate): Issue[] {
  const out: Issue[] = [];
  list(t.spec.volumes).forEach((v, i) => {
    if (!isObj(v)) return;
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type)) {
      out.push({
        obj: t.obj,
        path: [...t.specPath, 'volumes', i, type],
        message: `volume type ${type} is not allowed`,
      });
    }
  });
  return out;
}

function containerRestricted(t: PodTemplate, ref: ContainerRef): Issue[] {
  const out: Issue[] = [];
  const sc = isObj(ref.c.securityContext) ? ref.c.securityContext : {};
  const podSc = isObj(t.spec.securityContext) ? t.spec.securityContext : {};
  const name = String(ref.c.name ?? '?');
  const at = (field: string) =>
    sc[field] === undefined ? [...ref.path, 'name'] : [...ref.path, 'securityContext', field];
  const issue = (field: string, msg: string) =>
    out.push({ obj: t.obj, path: at(field), message: `container ${name}: ${msg}` });
  if (sc.allowPrivilegeEscalation !== false)
    issue('allowPrivilegeEscalation', 'allowPrivilegeEscalation must be false');
  if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true)) {
    issue('runAsNonRoot', 'runAsNonRoot must be true (pod or container)');
  }
  if (sc.runAsUser === 0 || (sc.runAsUser === undefined && podSc.runAsUser === 0))
    issue('runAsUser', 'runs as UID 0');
  const seccomp = get(sc, ['seccompProfile', 'type']) ?? get(podSc, ['seccompProfile', 'type']);
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && seccomp !== 'Unconfined')
    issue('seccompProfile', 'seccompProfile must be RuntimeDefault or Localhost');
  if (!strs(get(sc, ['capabilities', 'drop'])).includes('ALL'))
    issue('capabilities', 'capabilities.drop must include ALL');
  const added = strs(get(sc, ['capabilities', 'add'])).filter(
    (c) => c !== 'NET_BIND_SERVICE' && BASELINE_CAPABILITIES.has(c),
  );
  if (added.length > 0) issue('capabilities', `adds capabilities ${added.join(', ')}`);
  return out;
}

const atLevel =
  (
    want: PodSecurityLevel,
    pod: (t: PodTemplate) => Issue[],
    ctr: (t: PodTemplate, r: ContainerRef) => Issue[],
  ) =>
  ({ cluster, podSecurity }: CheckContext): Issue[] =>
    podTemplates(cluster)
      .filter((t) => atLeast(levelOf(cluster, t, podSecurity), want))
      .flatMap((t) => [...pod(t), ...containers(t).flatMap((ref) => ctr(t, ref))]);

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
    const saObj = named(c, 'ServiceAccount', t.obj.namespace, sa)[0];
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
      'meshproof holds pod templates to the Pod Security Standard "restricted" on top of baseline (SEC011): non-root, no privilege escalation, capabilities drop ALL (add only NET_BIND_SERVICE), RuntimeDefault or Localhost seccomp, restricted volume types. Skipped for namespaces labelled pod-security.kubernetes.io/enforce: baseline|privileged and under --pod-security baseline.',
    hint: 'Set securityContext: runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault; or declare the tree baseline (--pod-security baseline, or the namespace label).',
    opinion: true,
    run: atLevel('restricted', podRestricted, containerRestricted),
  },
  {
    id: 'SEC011',
    severity: 'error',
    title: 'Pod Security "baseline" violation',
    description:
      'Pod templates break the Pod Security Standard "baseline", which Pod Security admission rejects in any namespace enforcing baseline or restricted: host namespaces, privileged, hostPath, hostPort, capabilities beyond the default set, procMount other than Default, unsafe sysctls, Unconfined seccomp/AppArmor, custom SELinux, probe hosts. Skipped only for namespaces labelled pod-security.kubernetes.io/enforce: privileged and under --pod-security privileged.',
    hint: 'Remove the privileged setting; if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce: privileged.',
    run: atLevel('baseline', podBaseline, containerBaseline),
  },
  {
    id: 'SEC006',
    opinion: true,
    severity: 'warning',
    title: 'Missing readiness or liveness probe',
    description:
      'Long-running containers need readiness and liveness probes so rollouts and canaries can tell healthy pods from broken ones.',
    hint: 'Add readinessProbe and livenessProbe on a declared container port.',
    run: ({ cluster }) => probes(cluster),
  },
  {
    id: 'SEC007',
    opinion: true,
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
    opinion: true,
    severity: 'warning',
    title: 'Service account token automounted',
    description:
      'Pods get a Kubernetes API token unless automountServiceAccountToken is false on the pod or its ServiceAccount; mesh proxies use their own projected tokens.',
    hint: 'Set automountServiceAccountToken: false on the pod spec (or the ServiceAccount) unless the app calls the API.',
    run: ({ cluster }) => automount(cluster),
  },
];
