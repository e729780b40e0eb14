import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PlatformInput, validatePlatform } from '@meshproof/spec';
import config from '../../../meshproof.config.ts';
import { renderCaveats } from './caveats.ts';
import type { K8sObject } from './model.ts';
import { renderCluster } from './render-cluster.ts';
import { objectsOf, renderTestCluster } from './test-support.ts';

// Scenario 5 of the e2e runner, read back from the rendered objects of the default spec: which
// versions of `catalog` a request with `x-version: v2` and one without can reach, evaluated the way
// each data plane reads its routing (a GAMMA HTTPRoute on the Service, an Istio VirtualService, or
// nothing but the Service's selector), without the renderer's code. A route that drops the header
// match, a default rule that sends traffic to the weight-0 version, or a baseline Service that
// spreads over both versions fails here.

// biome-ignore lint/suspicious/noExplicitAny: the checks walk parsed YAML.
type Yaml = any;
type Obj = K8sObject & { spec: Yaml };
type Headers = Record<string, string>;

const APP = 'catalog';
const NS = 'shop';
const HOST = `${APP}.${NS}.svc.cluster.local`;
const HEADER = { 'x-version': 'v2' };

const labelsMatch = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Versions whose pods a Service (by name) selects. */
function versionsBehind(objects: Obj[], service: string): string[] {
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata?.name === service);
  assert.ok(svc, `no Service ${service}`);
  return objects
    .filter((o) => o.kind === 'Deployment' && labelsMatch(svc.spec.selector, o.spec.template.metadata.labels))
    .map((o) => o.spec.template.metadata.labels.version as string);
}

const headersMatch = (wanted: Yaml[] | undefined, sent: Headers) =>
  (wanted ?? []).every((h: Yaml) => (h.type ?? 'Exact') === 'Exact' && sent[h.name] === h.value);

/** A GAMMA HTTPRoute: the rule whose match has the most header conditions that hold wins (Gateway API precedence). */
function viaHttpRoute(objects: Obj[], route: Obj, sent: Headers): string[] {
  const candidates = (route.spec.rules as Yaml[]).flatMap((rule) =>
    (rule.matches ?? [{}])
      .filter((m: Yaml) => !m.path && headersMatch(m.headers, sent))
      .map((m: Yaml) => ({ rule, specificity: (m.headers ?? []).length })),
  );
  candidates.sort((a, b) => b.specificity - a.specificity);
  const rule = candidates[0]?.rule;
  assert.ok(rule, 'no HTTPRoute rule matches');
  return (rule.backendRefs as Yaml[])
    .filter((b) => (b.weight ?? 1) > 0)
    .flatMap((b) => versionsBehind(objects, b.name));
}

/** An Istio VirtualService: the first http entry whose match holds; subsets name the version label. */
function viaVirtualService(objects: Obj[], vs: Obj, sent: Headers): string[] {
  const entry = (vs.spec.http as Yaml[]).find(
    (h) =>
      !h.match ||
      h.match.some(
        (m: Yaml) =>
          !m.uri && Object.entries(m.headers ?? {}).every(([k, v]: [string, Yaml]) => sent[k] === v.exact),
      ),
  );
  assert.ok(entry, 'no VirtualService entry matches');
  const rule = objects.find((o) => o.kind === 'DestinationRule' && o.spec.host === HOST);
  return (entry.route as Yaml[])
    .filter((r) => (r.weight ?? 100) > 0)
    .map((r) => {
      const subset = rule?.spec.subsets.find((s: Yaml) => s.name === r.destination.subset);
      assert.ok(subset, `no subset ${r.destination.subset}`);
      return subset.labels.version as string;
    });
}

function reached(objects: Obj[], sent: Headers): string[] {
  const route = objects.find(
    (o) =>
      o.kind === 'HTTPRoute' &&
      (o.spec.parentRefs ?? []).some((p: Yaml) => p.kind === 'Service' && p.name === APP),
  );
  const vs = objects.find((o) => o.kind === 'VirtualService' && o.spec.hosts.includes(HOST));
  const versions = route
    ? viaHttpRoute(objects, route, sent)
    : vs
      ? viaVirtualService(objects, vs, sent)
      : versionsBehind(objects, APP);
  return [...new Set(versions)].sort();
}

const result = validatePlatform(config);
assert.ok(result.ok);
const platform = result.platform;

for (const cluster of platform.clusters) {
  test(`${cluster.name}: catalog's header route as the data plane reads it`, () => {
    const objects = objectsOf(renderCluster(platform, cluster))
      .map((e) => e.object as Obj)
      .filter((o) => o.metadata?.namespace === NS);
    const caveat = renderCaveats(platform).find(
      (c) =>
        c.cluster === cluster.name &&
        c.path === `apps[${platform.apps.findIndex((a) => a.name === APP)}].routes`,
    );
    const without = reached(objects, {});
    const withHeader = reached(objects, HEADER);
    // Without a header, nowhere does the weight-0 version take traffic.
    assert.deepEqual(without, ['v1']);
    if (cluster.mesh === 'none') {
      // No proxy: the route is reported as not applied, and the header changes nothing.
      assert.match(caveat?.reason ?? '', /need a proxy/);
      assert.deepEqual(withHeader, ['v1']);
    } else {
      assert.equal(caveat, undefined);
      assert.deepEqual(withHeader, ['v2']);
    }
  });
}

test("the Service's selector: every version behind a version-routing proxy, else only the weight-100 one", () => {
  const selector = (
    mesh: 'none' | 'istio-ambient' | 'linkerd',
    edit: (s: PlatformInput) => void = () => {},
  ) => {
    const { find } = renderTestCluster<Obj>(mesh, (s) => {
      const search = s.apps[2] as PlatformInput['apps'][number];
      search.versions = [
        { name: 'v1', weight: 100 },
        { name: 'v2', weight: 0 },
      ];
      edit(s);
    });
    return find('Service', 'search', 'search').spec.selector;
  };
  assert.deepEqual(selector('none'), { app: 'search', version: 'v1' });
  assert.deepEqual(selector('linkerd'), { app: 'search' });
  assert.deepEqual(selector('istio-ambient'), { app: 'search' });
  const noWaypoint = (s: PlatformInput) => {
    (s.clusters[0] as PlatformInput['clusters'][number]).istio = { waypoint: false };
    // Without a waypoint the spec refuses L7 call limits.
    (s.apps[0] as PlatformInput['apps'][number]).calls = [{ app: 'api' }, { app: 'search' }];
  };
  assert.deepEqual(selector('istio-ambient', noWaypoint), { app: 'search', version: 'v1' });
  // A real split (90/10) cannot be expressed by one selector: every version, as the caveat says.
  const split = (s: PlatformInput) => {
    (s.apps[2] as PlatformInput['apps'][number]).versions = [
      { name: 'v1', weight: 90 },
      { name: 'v2', weight: 10 },
    ];
  };
  assert.deepEqual(selector('none', split), { app: 'search' });
});
