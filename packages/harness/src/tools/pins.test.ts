import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KIND } from '@meshproof/render';
import { hostTarget, KUBECTL_VERSION, TOOL_PINS } from './pins.ts';

test('asset and checksum URLs follow each upstream release layout', () => {
  const urls = (Object.values(TOOL_PINS) as (typeof TOOL_PINS)[keyof typeof TOOL_PINS][]).flatMap((pin) =>
    (
      [
        { os: 'linux', arch: 'amd64' },
        { os: 'darwin', arch: 'arm64' },
      ] as const
    ).map((t) => [
      pin.defaultBase + pin.assetPath(t),
      pin.defaultBase + pin.checksumPath(t),
      pin.archiveMember?.(t) ?? '',
    ]),
  );
  assert.deepEqual(urls, [
    [
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64',
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum',
      '',
    ],
    [
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-darwin-arm64',
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-darwin-arm64.sha256sum',
      '',
    ],
    [
      `https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/amd64/kubectl`,
      `https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256`,
      '',
    ],
    [
      `https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/darwin/arm64/kubectl`,
      `https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/darwin/arm64/kubectl.sha256`,
      '',
    ],
    [
      'https://get.helm.sh/helm-v4.2.4-linux-amd64.tar.gz',
      'https://get.helm.sh/helm-v4.2.4-linux-amd64.tar.gz.sha256sum',
      'linux-amd64/helm',
    ],
    [
      'https://get.helm.sh/helm-v4.2.4-darwin-arm64.tar.gz',
      'https://get.helm.sh/helm-v4.2.4-darwin-arm64.tar.gz.sha256sum',
      'darwin-arm64/helm',
    ],
    [
      'https://github.com/fluxcd/flux2/releases/download/v2.9.4/flux_2.9.4_linux_amd64.tar.gz',
      'https://github.com/fluxcd/flux2/releases/download/v2.9.4/flux_2.9.4_checksums.txt',
      'flux',
    ],
    [
      'https://github.com/fluxcd/flux2/releases/download/v2.9.4/flux_2.9.4_darwin_arm64.tar.gz',
      'https://github.com/fluxcd/flux2/releases/download/v2.9.4/flux_2.9.4_checksums.txt',
      'flux',
    ],
  ]);
});

test('kubectl follows the kind node image of render/versions.ts', () => {
  assert.ok(KIND.nodeImage.startsWith(`kindest/node:v${KUBECTL_VERSION}@sha256:`));
  assert.match(KUBECTL_VERSION, /^1\.35\.\d+$/);
});

test("each tool's version output is read, and only the pinned version (kubectl: its minor) is accepted", () => {
  const { kind, kubectl, helm, flux } = TOOL_PINS;
  assert.equal(kind.parseVersion('kind v0.32.0 go1.25.1 linux/amd64\n'), '0.32.0');
  assert.equal(kind.parseVersion('kind v0.32.0-alpha+abc go1.25.1 linux/amd64'), '0.32.0-alpha+abc');
  assert.equal(kind.accepts('0.32.0-alpha+abc'), false);
  assert.equal(kubectl.parseVersion('Client Version: v1.35.1\nKustomize Version: v5.7.1\n'), '1.35.1');
  assert.equal(kubectl.accepts('1.35.1'), true);
  assert.equal(kubectl.accepts('1.34.9'), false);
  assert.equal(kubectl.accepts('1.3.5'), false);
  assert.equal(helm.parseVersion('v4.2.4+g8f9a0b1\n'), '4.2.4');
  assert.equal(helm.accepts('4.2.4'), true);
  assert.equal(helm.accepts('3.21.4'), false);
  assert.equal(flux.parseVersion('flux: v2.9.4\n'), '2.9.4');
  assert.equal(flux.parseVersion('flux: v2.9.4\ndistribution: flux-v2.9.4\n'), '2.9.4');
  assert.equal(flux.accepts('2.9.3'), false);
  assert.equal(kind.parseVersion('Usage: kind [command]'), undefined);
});

test('release assets exist for linux and macOS on amd64 and arm64 only', () => {
  assert.deepEqual(hostTarget('linux', 'x64'), { os: 'linux', arch: 'amd64' });
  assert.deepEqual(hostTarget('darwin', 'arm64'), { os: 'darwin', arch: 'arm64' });
  assert.equal(hostTarget('win32', 'x64'), undefined);
  assert.equal(hostTarget('linux', 'ppc64'), undefined);
});
