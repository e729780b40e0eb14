// renovate.json must find every pin of versions.ts: a pin no custom manager matches would silently
// never be bumped. The managers' own regular expressions are applied to the file, as Renovate does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as versions from './versions.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const FILE = 'packages/render/src/versions.ts';

interface Manager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate?: string;
  depNameTemplate?: string;
}

/** Every string in versions.ts that is a pin: not a URL or a path in a repository. */
function pins(value: unknown, at = ''): { at: string; pin: string }[] {
  if (typeof value === 'string') return /^(https?:\/\/|\.\/)/.test(value) ? [] : [{ at, pin: value }];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => pins(v, at ? `${at}.${k}` : k));
  return [];
}

// managerFilePatterns: "/regex/" is a regular expression, anything else a glob (only exact paths here).
const matchesFile = (pattern: string, file: string) =>
  pattern.startsWith('/') && pattern.endsWith('/')
    ? new RegExp(pattern.slice(1, -1)).test(file)
    : pattern === file;

/** What Renovate would extract from `source`: one entry per match, with the fields it requires. */
function extracted(managers: Manager[], source: string) {
  return managers
    .filter((m) => m.customType === 'regex' && m.managerFilePatterns.some((p) => matchesFile(p, FILE)))
    .flatMap((m) =>
      m.matchStrings.flatMap((re) =>
        [...source.matchAll(new RegExp(re, 'g'))].map((match) => ({
          text: match[0],
          currentValue: match.groups?.currentValue,
          currentDigest: match.groups?.currentDigest,
          datasource: match.groups?.datasource ?? m.datasourceTemplate,
          depName: match.groups?.depName ?? m.depNameTemplate,
        })),
      ),
    );
}

function unmatchedPins(source: string): string[] {
  const config = JSON.parse(readFileSync(`${root}renovate.json`, 'utf8')) as { customManagers: Manager[] };
  const deps = extracted(config.customManagers, source);
  for (const d of deps) {
    assert.ok(d.datasource && d.depName && d.currentValue, `incomplete extraction: ${d.text}`);
  }
  return pins(versions)
    .filter(
      ({ pin }) =>
        !deps.some(
          (d) =>
            d.text.includes(`'${pin}'`) &&
            pin.includes(d.currentValue ?? '\0') &&
            (!pin.includes('@sha256:') || pin.endsWith(`@${d.currentDigest}`)),
        ),
    )
    .map(({ at }) => at);
}

const source = readFileSync(`${root}${FILE}`, 'utf8');

test('every pin in versions.ts is found by a Renovate custom manager, with its datasource and package', () => {
  assert.ok(pins(versions).length >= 20, 'the pins were found');
  assert.deepEqual(unmatchedPins(source), []);
});

test('the kind node image is extracted as tag plus digest, so Renovate bumps both', () => {
  const config = JSON.parse(readFileSync(`${root}renovate.json`, 'utf8')) as { customManagers: Manager[] };
  const node = extracted(config.customManagers, source).find((d) => d.depName === 'kindest/node');
  assert.equal(`kindest/node:${node?.currentValue}@${node?.currentDigest}`, versions.KIND.nodeImage);
  assert.equal(node?.datasource, 'docker');
});

test('a pin without its annotation is reported (the check can fail)', () => {
  const stripped = source.replace(/ *\/\/ renovate: datasource=helm depName=cilium .*\n/, '');
  assert.notEqual(stripped, source);
  assert.deepEqual(unmatchedPins(stripped), ['CILIUM.version']);
});
