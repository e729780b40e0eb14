import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meshPlugin } from '@meshproof/render';
import type { Mesh } from '@meshproof/spec';
import { cpuMillicores, dataPlaneSamples, memoryBytes } from './resources.ts';

test('data-plane containers from a metrics.k8s.io PodMetricsList, quantities in millicores and bytes', () => {
  const list = {
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    items: [
      {
        metadata: { name: 'ztunnel-x7k2p', namespace: 'istio-system' },
        timestamp: '2026-12-03T08:00:00Z',
        window: '15s',
        containers: [{ name: 'istio-proxy', usage: { cpu: '12345678n', memory: '20480Ki' } }],
      },
      {
        metadata: { name: 'bench-backend-5d9f', namespace: 'bench-mesh' },
        timestamp: '2026-12-03T08:00:00Z',
        window: '15s',
        containers: [
          { name: 'backend', usage: { cpu: '50m', memory: '40Mi' } },
          { name: 'linkerd-proxy', usage: { cpu: '3m', memory: '12Mi' } },
        ],
      },
      {
        metadata: {
          name: 'waypoint-abc',
          namespace: 'bench-mesh',
          labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller' },
        },
        timestamp: '2026-12-03T08:00:00Z',
        window: '15s',
        containers: [{ name: 'istio-proxy', usage: { cpu: '1', memory: '1Gi' } }],
      },
    ],
  };
  // Each mesh's render plugin says which containers are its data plane: one list, read per mesh.
  const read = (mesh: Mesh, items = list.items) =>
    dataPlaneSamples({ items }, meshPlugin(mesh).dataPlaneComponent).map((s) => [
      s.component,
      Math.round(s.cpuMillicores * 1000) / 1000,
      s.memoryBytes,
    ]);
  assert.deepEqual(read('istio-ambient'), [
    ['ztunnel', 12.346, 20 * 2 ** 20],
    ['waypoint', 1000, 2 ** 30],
  ]);
  assert.deepEqual(read('linkerd'), [['linkerd-proxy', 3, 12 * 2 ** 20]]);
  // A sidecar cluster runs no ztunnel; there every istio-proxy container is a sidecar.
  const noZtunnel = list.items.filter((p) => !p.metadata.name.startsWith('ztunnel-'));
  assert.deepEqual(read('istio-sidecar', noZtunnel), [['istio-proxy (sidecar)', 1000, 2 ** 30]]);
  assert.deepEqual(read('none'), []);
  assert.throws(() => cpuMillicores('lots'), /not a CPU quantity/);
  assert.equal(memoryBytes('1000'), 1000);
});
