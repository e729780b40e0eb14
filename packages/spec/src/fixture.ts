import type { PlatformInput } from './types.ts';

/** A small valid spec for tests; each test breaks one thing in a fresh copy. */
export function validSpec(): PlatformInput {
  return structuredClone({
    clusters: [
      { name: 'kind-baseline', mesh: 'none' },
      { name: 'kind-istio-ambient', mesh: 'istio-ambient', istio: { waypoint: true } },
      { name: 'kind-cilium', mesh: 'cilium', cilium: { mutualAuth: true, encryption: 'wireguard' } },
    ],
    apps: [
      {
        name: 'frontend',
        namespace: 'shop',
        image: 'meshproof/frontend:0.1.0',
        port: 8080,
        versions: [{ name: 'v1', weight: 100 }],
        calls: [{ app: 'backend', methods: ['GET'] }],
      },
      {
        name: 'backend',
        namespace: 'shop',
        image: 'meshproof/backend:0.1.0',
        port: 8080,
        versions: [
          { name: 'v1', weight: 100 },
          { name: 'v2', weight: 0 },
        ],
        canary: {},
      },
    ],
  } satisfies PlatformInput);
}
