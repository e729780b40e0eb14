import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { crdSchemasFromYaml } from './crd.ts';
import { linkerdScope, renderLinkerdCrds } from './linkerd.ts';
import { loadLock } from './lock.ts';
import { NO_MIRROR, testMirror } from './testing.ts';

const POLICY_KINDS = [
  'AuthorizationPolicy',
  'EgressNetwork',
  'ExternalWorkload',
  'HTTPLocalRateLimitPolicy',
  'HTTPRoute',
  'MeshTLSAuthentication',
  'NetworkAuthentication',
  'Server',
  'ServerAuthorization',
  'ServiceProfile',
];
const GATEWAY_KINDS = ['GRPCRoute', 'HTTPRoute', 'TCPRoute', 'TLSRoute'];

function render(overrides: Record<string, unknown>) {
  const mirror = testMirror as string;
  const sources = loadLock().sources;
  const values = sources.find((s) => s.format === 'helm-values');
  assert.ok(values, 'lock has the linkerd-crds values file');
  const templates = sources
    .filter((s) => s.format === 'helm-template')
    .map((s) => ({ file: s.file, text: readFileSync(join(mirror, s.file), 'utf8') }));
  const rendered = renderLinkerdCrds(
    templates,
    linkerdScope(readFileSync(join(mirror, values.file), 'utf8'), overrides),
  );
  for (const r of rendered) assert.doesNotMatch(r.text, /\{\{/, `${r.file} still has template directives`);
  return rendered.flatMap((r) => crdSchemasFromYaml(r.text, r.file));
}

test('linkerd CRD templates render to plain CRDs with the chart defaults', { skip: NO_MIRROR }, () => {
  const kinds = render({});
  const byGroup = (g: string) =>
    [...new Set(kinds.filter((k) => k.group.endsWith(g)).map((k) => k.kind))].sort();
  assert.deepEqual([...new Set([...byGroup('linkerd.io')])].sort(), POLICY_KINDS);
  // installGatewayAPI defaults to false: the bundled Gateway API CRDs stay out.
  assert.deepEqual(byGroup('gateway.networking.k8s.io'), []);
  const server = kinds.filter((k) => k.kind === 'Server').map((k) => k.version);
  assert.deepEqual(server.sort(), ['v1alpha1', 'v1beta1', 'v1beta2', 'v1beta3']);
});

test('installGatewayAPI / enable*Routes switch the bundled Gateway API CRDs', { skip: NO_MIRROR }, () => {
  const all = render({ installGatewayAPI: true });
  const gw = (ks: typeof all) =>
    [...new Set(ks.filter((k) => k.group === 'gateway.networking.k8s.io').map((k) => k.kind))].sort();
  assert.deepEqual(gw(all), GATEWAY_KINDS);
  assert.deepEqual(gw(render({ installGatewayAPI: true, enableTcpRoutes: false })), [
    'GRPCRoute',
    'HTTPRoute',
    'TLSRoute',
  ]);
  assert.deepEqual(gw(render({ enableHttpRoutes: true })), ['GRPCRoute', 'HTTPRoute']);
});
