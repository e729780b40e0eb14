// Scenario 5 as runner steps: per header route of the spec and cluster, a client inside the mesh
// (the app that calls the routed app, from its own pod and identity) sends N requests with the
// route's header and N without, through /app/probe.mjs; the task counts the versions that answered.
// Where the cluster's mesh cannot route by header (its render reports the route as not applied),
// the step is planned as skipped with that reason, so the plan and the results both show why.
import { meshPlugin, renderCaveats, serviceHost, servingWorkload } from '@meshproof/render';
import type { App, Cluster, Platform } from '@meshproof/spec';
import { formatDuration } from '../plan/duration.ts';
import { kubectlTarget, PROBE_CLIENT } from '../probes/steps.ts';
import type { Json, KubeTarget, Step } from '../step.ts';
import { step, task } from '../step.ts';
import { clientOf } from './scenario.ts';

export const HEADER_ROUTE = 'header-route';
/** Step ids: `<cluster>/routes/<app>-<route index>`. */
export const HEADER_ROUTE_GROUP = 'routes';
/** Requests each way: a router that ignores the header sends none of 50 to a weight-0 version. */
export const ROUTE_REQUESTS = 50;
export const ROUTE_REQUEST_TIMEOUT_MS = 2000;
/** Both kubectl exec calls starting the client in the pod, on a loaded runner. */
const EXEC_SLACK_MS = 60_000;

function clientArgv(
  t: KubeTarget,
  client: App,
  url: string,
  headers: [string, string][],
): ['kubectl', ...string[]] {
  const w = servingWorkload(client);
  return [
    'kubectl',
    ...kubectlTarget(t),
    'exec',
    '-n',
    w.namespace,
    `deploy/${w.deployment}`,
    '-c',
    w.container,
    '--',
    ...PROBE_CLIENT,
    '--method',
    'GET',
    '--url',
    url,
    '--timeout-ms',
    String(ROUTE_REQUEST_TIMEOUT_MS),
    '--count',
    String(ROUTE_REQUESTS),
    ...headers.flatMap(([k, v]) => ['--header', `${k}:${v}`]),
  ];
}

/** Why the header routes of `app` cannot be proven on this cluster, or undefined when they can. */
function skipReason(
  platform: Platform,
  cluster: Cluster,
  app: App,
  client: App | undefined,
): string | undefined {
  const i = platform.apps.indexOf(app);
  const caveat = renderCaveats(platform).find(
    (c) => c.cluster === cluster.name && c.path === `apps[${i}].routes`,
  );
  if (caveat) {
    // Without a weighting proxy the canary runs blue/green: its own no-leak check stands in here.
    const blueGreen = !meshPlugin(cluster.mesh).flagger.weightedTraffic
      ? platform.apps
          .filter((a) => a.canary?.enabled)
          .map(
            (a) =>
              `; ${cluster.name}/canary/${a.name}-promotion checks that no request reaches the canary during the blue/green analysis`,
          )
          .join('')
      : '';
    return `apps[${i}].routes is not applied on ${cluster.name} (${cluster.mesh}): ${caveat.reason}${blueGreen}`;
  }
  if (!client) return `no app of the spec calls ${app.name}: nothing inside the mesh can send the requests`;
  return undefined;
}

export function headerRouteSteps(platform: Platform, cluster: Cluster, target: KubeTarget): Step[] {
  return platform.apps.flatMap((app) =>
    app.routes.flatMap((route, r) => {
      const headers = route.match.headers;
      if (!headers || app.port === undefined) return [];
      const client = clientOf(platform, app);
      const header = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
      const shown = header.map(([k, v]) => `${k}: ${v}`).join(', ');
      const weighted = app.versions.filter((v) => v.weight > 0).map((v) => v.name);
      const url = `http://${serviceHost(app)}:${app.port}${route.match.pathPrefix ?? '/'}`;
      const timeoutMs = 2 * ROUTE_REQUESTS * ROUTE_REQUEST_TIMEOUT_MS + EXEC_SLACK_MS;
      const why = `2 × ${ROUTE_REQUESTS} requests × ${formatDuration(ROUTE_REQUEST_TIMEOUT_MS)} at worst + ${formatDuration(EXEC_SLACK_MS)} for kubectl exec`;
      const skip = skipReason(platform, cluster, app, client);
      const args: { [key: string]: Json } = {
        app: app.name,
        namespace: app.namespace,
        client: client?.name ?? null,
        header: Object.fromEntries(header),
        matched: route.version,
        weighted,
        requests: ROUTE_REQUESTS,
        ...(client
          ? {
              argv: {
                withHeader: clientArgv(target, client, url, header),
                withoutHeader: clientArgv(target, client, url, []),
              },
            }
          : {}),
      };
      return [
        step({
          id: `${cluster.name}/${HEADER_ROUTE_GROUP}/${app.name}-${r}`,
          cluster: cluster.name,
          title: `header route: ${ROUTE_REQUESTS} requests from ${client?.name ?? '(no caller)'} to ${app.name} with ${shown} all reach ${route.version}, ${ROUTE_REQUESTS} without reach only ${weighted.join('|')} (bound: ${why})`,
          timeoutMs,
          actions: [task(HEADER_ROUTE, args)],
          onFailure: 'continue',
          ...(skip ? { skip } : {}),
        }),
      ];
    }),
  );
}
