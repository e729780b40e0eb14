import { z } from 'zod';

// Names end up as Kubernetes object names, labels and kind node names, so they follow DNS-1123.
// The length limit is reported by issues.ts's generic "expected at most N character(s)" message.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (what: string, max = 63) =>
  z
    .string()
    .max(max)
    .regex(DNS_LABEL, {
      error: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    });

// [registry:port/]repository[:tag][@sha256:digest]; a tag or a digest is required and `latest` is refused: every
// rollout must be reproducible. A registry port only counts before a "/", so in "redis:7" the 7 is the tag.
const IMAGE =
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*:[0-9]+\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::(?<tag>[\w][\w.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;
const image = z.string().superRefine((value, ctx) => {
  const match = IMAGE.exec(value);
  if (!match) {
    ctx.addIssue({
      code: 'custom',
      message: `expected an image reference like "registry/name:1.2.3"; got "${value}"`,
    });
  } else if (!match.groups?.tag && !value.includes('@sha256:')) {
    ctx.addIssue({ code: 'custom', message: `image "${value}" has no tag or digest; pin a version` });
  } else if (match.groups?.tag === 'latest') {
    ctx.addIssue({ code: 'custom', message: `image "${value}" uses the tag "latest"; pin a version` });
  }
});

export const MESHES = ['none', 'istio-ambient', 'istio-sidecar', 'linkerd', 'cilium'] as const;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const NODE_ROLES = ['server', 'load', 'general'] as const;

const absolutePath = z.string().regex(/^\//, { error: 'expected a path starting with "/"' });
const percent = z.number().min(0).max(100);
const positiveInt = z.int().positive();
const labels = z.record(z.string().min(1), z.string());

/**
 * Where Flux reads this repository from when a cluster is bootstrapped from a fork (sync/sync.yaml).
 * `secretName` names a Secret in flux-system with the credentials of a private repository: for https
 * `username` and `password` (a token), for ssh `identity` and `known_hosts`.
 */
const gitSource = z.strictObject({
  url: z
    .string()
    .regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, { error: 'expected an https://, ssh:// or git@ URL' }),
  branch: z
    .string()
    .min(1)
    .regex(/^[^\s~^:?*[\\]+$/, { error: 'expected a Git branch name' })
    .default('main'),
  secretName: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
      error: 'expected a Secret name: lowercase letters, digits, "-" and "."',
    })
    .optional(),
});

const worker = z.strictObject({
  role: z.enum(NODE_ROLES),
  labels: labels.default({}),
});

const cluster = z.strictObject({
  // 40, not 63: kind names its nodes after the cluster plus a suffix such as "-control-plane".
  name: dnsLabel('cluster name', 40),
  mesh: z.enum(MESHES),
  /** istio-ambient only: a waypoint per app namespace, needed for L7 rules and routing. */
  istio: z.strictObject({ waypoint: z.boolean().default(true) }).optional(),
  /** linkerd only. */
  linkerd: z.strictObject({ viz: z.boolean().default(false) }).optional(),
  /** cilium only. */
  cilium: z
    .strictObject({
      mutualAuth: z.boolean().default(true),
      encryption: z.enum(['wireguard', 'none']).default('wireguard'),
    })
    .optional(),
  nodes: z.strictObject({ workers: z.array(worker).min(1).max(8) }).default({
    workers: [
      { role: 'server', labels: {} },
      { role: 'load', labels: {} },
    ],
  }),
  /** This cluster's Git source, when it differs from the platform-wide `git`. */
  git: gitSource.optional(),
});

const version = z.strictObject({
  name: dnsLabel('version name'),
  /** Share of traffic in percent; the versions of an app add up to 100. */
  weight: percent.int(),
  /** Overrides the app image for this version. */
  image: image.optional(),
  /** App-level fault injection (env FAULT_*), used to make a canary fail on purpose. */
  faults: z
    .strictObject({
      errorRate: z.number().min(0).max(1).default(0),
      delayMs: z.int().min(0).max(60_000).default(0),
      delayRate: z.number().min(0).max(1).default(0),
    })
    .optional(),
});

const call = z.strictObject({
  app: dnsLabel('app name'),
  /** Restrict the allowed calls to these methods (L7 authorization). */
  methods: z.array(z.enum(HTTP_METHODS)).min(1).optional(),
  /** Restrict the allowed calls to these path prefixes (L7 authorization). */
  paths: z
    .array(
      z.string().regex(/^\/[^\s*]*$/, { error: 'expected a path prefix starting with "/" (no wildcards)' }),
    )
    .min(1)
    .optional(),
});

const route = z.strictObject({
  match: z
    .strictObject({
      headers: z
        .record(z.string().regex(/^[a-z0-9-]+$/, { error: 'header names are lowercase' }), z.string())
        .optional(),
      pathPrefix: absolutePath.optional(),
    })
    .refine((m) => m.headers !== undefined || m.pathPrefix !== undefined, {
      error: 'a match needs headers or pathPrefix',
    }),
  version: dnsLabel('version name'),
});

const resilience = z.strictObject({
  timeoutMs: positiveInt.max(600_000).optional(),
  retries: z
    .strictObject({
      attempts: z.int().min(1).max(10),
      perTryTimeoutMs: positiveInt.optional(),
      on: z
        .array(z.enum(['5xx', 'gateway-error', 'connect-failure', 'reset']))
        .min(1)
        .default(['5xx', 'connect-failure']),
    })
    .optional(),
  circuitBreaker: z
    .strictObject({
      maxConnections: positiveInt,
      maxPendingRequests: positiveInt,
      maxRequestsPerConnection: positiveInt.optional(),
    })
    .optional(),
  outlierDetection: z
    .strictObject({
      consecutive5xxErrors: positiveInt,
      intervalSeconds: positiveInt,
      baseEjectionSeconds: positiveInt,
      maxEjectionPercent: percent.int(),
    })
    .optional(),
});

const faults = z.strictObject({
  delay: z.strictObject({ ms: positiveInt.max(60_000), percent }).optional(),
  abort: z.strictObject({ httpStatus: z.int().min(400).max(599), percent }).optional(),
});

const canary = z.strictObject({
  enabled: z.boolean().default(true),
  intervalSeconds: z.int().min(5).max(3600).default(30),
  /** Failed checks before rollback. */
  threshold: z.int().min(1).max(100).default(5),
  maxWeight: z.int().min(1).max(100).default(50),
  stepWeight: z.int().min(1).max(100).default(10),
  /** Minimum request success rate in percent. */
  minSuccessRate: percent.default(99),
  /** Maximum p99 request duration in milliseconds. */
  maxP99Ms: positiveInt.default(500),
});

const app = z.strictObject({
  name: dnsLabel('app name'),
  namespace: dnsLabel('namespace'),
  image,
  /** Container and Service port; apps without a port get no Service. */
  port: z.int().min(1).max(65535).optional(),
  serviceAccount: dnsLabel('service account').optional(),
  versions: z.array(version).min(1).max(5),
  replicas: z
    .strictObject({ min: z.int().min(1).max(20), max: z.int().min(1).max(50) })
    .default({ min: 2, max: 4 }),
  resources: z
    .strictObject({
      cpu: z.string().regex(/^\d+m?$/, { error: 'expected CPU like "100m" or "1"' }),
      memory: z.string().regex(/^\d+(Mi|Gi)$/, { error: 'expected memory like "128Mi"' }),
    })
    .default({ cpu: '100m', memory: '128Mi' }),
  /** Apps this app calls; the callee's authorization allows exactly these callers. */
  calls: z.array(call).default([]),
  routes: z.array(route).default([]),
  resilience: resilience.default({}),
  faults: faults.optional(),
  canary: canary.optional(),
  expose: z
    .strictObject({
      // A Gateway API listener/route hostname: DNS labels, no wildcard, no IP semantics.
      hostname: z
        .string()
        .max(253)
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
          error: 'expected a host name like "shop.example.test"',
        }),
      pathPrefix: absolutePath.default('/'),
    })
    .optional(),
  health: z
    .strictObject({ liveness: absolutePath, readiness: absolutePath })
    .default({ liveness: '/healthz', readiness: '/readyz' }),
});

export const platformSchema = z.strictObject({
  /** The Git source of every cluster that sets none of its own (a fork's URL, branch and credentials). */
  git: gitSource.optional(),
  clusters: z.array(cluster).min(1),
  apps: z.array(app).min(1),
  security: z
    .strictObject({
      mtls: z.enum(['STRICT', 'PERMISSIVE']).default('STRICT'),
      /**
       * Why PERMISSIVE is acceptable (required with it): the render writes it into the doctor's
       * suppression annotations, so `check` reports the plaintext opening as accepted, with this reason.
       */
      mtlsReason: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(/^[^;\n]+$/, { error: 'one line without ";" (it becomes a suppression annotation)' })
        .optional(),
      defaultDeny: z.boolean().default(true),
    })
    .default({ mtls: 'STRICT', defaultDeny: true }),
  observability: z
    .strictObject({
      prometheus: z.boolean().default(true),
      grafana: z.boolean().default(false),
      tracing: z.boolean().default(false),
      logs: z.boolean().default(false),
    })
    .default({ prometheus: true, grafana: false, tracing: false, logs: false }),
});
