import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SyncError } from './fetch-source.ts';
import { loadLock, parseLock } from './lock.ts';
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

describe('a lock of the wrong shape is refused before anything is fetched, naming the field', () => {
  const good = {
    project: 'demo',
    version: 'v1',
    file: 'demo/v1/crd.yaml',
    url: 'https://example.test/crd.yaml',
    sha256: 'a'.repeat(64),
    format: 'crd',
  };
  const lock = (sources: unknown[], over: Record<string, unknown> = {}) =>
    JSON.stringify({ description: 'd', pins: { demo: 'v1' }, sources, ...over });
  const refused: [string, string, string][] = [
    ['not JSON', '{', 'L: not valid JSON ('],
    ['an array', '[]', 'L: expected an object with description, pins and sources'],
    ['no description', lock([good], { description: 1 }), 'L: description: expected a string'],
    [
      'pins not strings',
      lock([good], { pins: { demo: 1 } }),
      'L: pins: expected an object of project -> version strings',
    ],
    ['pins an array', lock([good], { pins: [] }), 'L: pins: expected an object'],
    ['no sources', lock([]), 'L: sources: expected a non-empty array'],
    ['a source not an object', lock([good, 'x']), 'L: sources[1]: expected an object'],
    ['a source null', lock([good, null]), 'L: sources[1]: expected an object'],
    ['an empty field', lock([{ ...good, url: '' }]), 'L: sources[0].url: expected a non-empty string'],
    [
      'a missing field',
      lock([{ ...good, project: undefined }]),
      'L: sources[0].project: expected a non-empty string',
    ],
    [
      'a file outside the mirror',
      lock([{ ...good, file: 'demo/../../etc/x' }]),
      'L: sources[0].file: expected a relative path inside the mirror, got "demo/../../etc/x"',
    ],
    ['an absolute file', lock([{ ...good, file: '/etc/x' }]), 'L: sources[0].file: expected a relative path'],
    [
      'a backslash (a Windows separator)',
      lock([{ ...good, file: 'demo\\..\\..\\etc\\x' }]),
      'L: sources[0].file: expected a relative path inside the mirror, got "demo\\..\\..\\etc\\x"',
    ],
    ['a "." segment', lock([{ ...good, file: 'demo/./x' }]), 'L: sources[0].file: expected a relative path'],
    [
      'an empty segment',
      lock([{ ...good, file: 'demo//x' }]),
      'L: sources[0].file: expected a relative path',
    ],
    [
      'a plain-http url',
      lock([{ ...good, url: 'http://example.test/x' }]),
      'L: sources[0].url: expected an https:// URL, got "http://example.test/x"',
    ],
    [
      'a short sha256',
      lock([{ ...good, sha256: 'a'.repeat(63) }]),
      'L: sources[0].sha256: expected 64 lowercase hex digits',
    ],
    ['an uppercase sha256', lock([{ ...good, sha256: 'A'.repeat(64) }]), 'L: sources[0].sha256: expected 64'],
    [
      'a sha256 with more',
      lock([{ ...good, sha256: `${'a'.repeat(64)}0` }]),
      'L: sources[0].sha256: expected 64',
    ],
    [
      'an unknown format',
      lock([{ ...good, format: 'yaml' }]),
      'L: sources[0].format: expected one of crd, helm-template, helm-values',
    ],
    [
      'an unknown channel',
      lock([{ ...good, channel: 'beta' }]),
      'L: sources[0].channel: expected standard or experimental',
    ],
    [
      'a file twice',
      lock([good, { ...good, url: 'https://example.test/2' }]),
      'L: sources[1].file: "demo/v1/crd.yaml" is listed twice',
    ],
  ];
  for (const [what, text, message] of refused) {
    test(what, () => {
      assert.throws(
        () => parseLock(text, 'L'),
        (e: Error) => e instanceof SyncError && e.message.startsWith(message),
      );
    });
  }

  test('the committed lock and every shape it allows pass', () => {
    assert.ok(loadLock().sources.length > 0);
    const ok = parseLock(
      lock([
        good,
        { ...good, file: 'demo/v1/b.yaml', format: 'helm-values', channel: 'standard' },
        { ...good, file: 'demo/v1/c.yaml', channel: 'experimental', format: 'helm-template' },
      ]),
      'L',
    );
    assert.deepEqual(ok.sources[0], good);
    assert.equal(ok.pins.demo, 'v1');
  });
});
