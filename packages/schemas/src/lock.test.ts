import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadLock } from './lock.ts';
import { NO_MIRROR, testMirror } from './testing.ts';

interface IndexEntry {
  project: string;
  version: string;
  file: string;
  url: string;
  sha256: string;
}

// A schema cache used as the mirror (GitHub CI syncs by download first) holds the files but no index.
const NO_INDEX =
  NO_MIRROR ||
  (existsSync(join(testMirror as string, 'index.json')) ? false : 'the mirror has no index.json');

test('every locked source matches the mirror index (url and sha256)', { skip: NO_INDEX }, () => {
  const index = JSON.parse(readFileSync(join(testMirror as string, 'index.json'), 'utf8')) as {
    files: IndexEntry[];
  };
  const byFile = new Map(index.files.map((f) => [f.file, f]));
  const lock = loadLock();
  for (const src of lock.sources) {
    const entry = byFile.get(src.file);
    assert.ok(entry, `${src.file} is not in the mirror index`);
    assert.equal(src.url, entry.url, `${src.file}: url`);
    assert.equal(src.sha256, entry.sha256, `${src.file}: sha256`);
    assert.equal(
      src.version,
      lock.pins[src.project],
      `${src.file}: not the pinned version of ${src.project}`,
    );
  }
});

test('the lock covers Flux, Istio, Gateway API (both channels), Linkerd, Cilium and Flagger', () => {
  const lock = loadLock();
  const has = (re: RegExp) => lock.sources.some((s) => re.test(s.file));
  for (const re of [
    /^source-controller\/v1\.9\.1\/.*gitrepositories/,
    /^kustomize-controller\/v1\.9\.4\/.*kustomizations/,
    /^helm-controller\/v1\.6\.3\/.*helmreleases/,
    /^notification-controller\/v1\.9\.3\/.*providers/,
    /^istio\/1\.30\.3\/.*crd-all\.gen\.yaml$/,
    /^gateway-api\/v1\.5\.1\/config\/crd\/standard\/.*httproutes/,
    /^gateway-api\/v1\.5\.1\/config\/crd\/experimental\/.*tcproutes/,
    /^linkerd2\/version-2\.20\/charts\/linkerd-crds\/templates\/policy\/server\.yaml$/,
    /^cilium\/v1\.19\.4\/.*ciliumnetworkpolicies/,
    /^flagger\/v1\.44\.0\/artifacts\/flagger\/crd\.yaml$/,
  ]) {
    assert.ok(has(re), `lock lacks ${re}`);
  }
  for (const s of lock.sources) assert.match(s.sha256, /^[0-9a-f]{64}$/, s.file);
});
