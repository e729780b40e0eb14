// The runner downloads helm and flux at versions written in pins.ts; Renovate must see both pins, or they
// would age silently while versions.ts moves on. The manager's own regular expression is applied here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TOOL_PINS } from './pins.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const FILE = 'packages/harness/src/tools/pins.ts';

interface Manager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
}

function extract(source: string) {
  const { customManagers } = JSON.parse(readFileSync(`${root}renovate.json`, 'utf8')) as {
    customManagers: Manager[];
  };
  return customManagers
    .filter((m) => m.managerFilePatterns.some((p) => new RegExp(p.slice(1, -1)).test(FILE)))
    .flatMap((m) => m.matchStrings.flatMap((re) => [...source.matchAll(new RegExp(re, 'g'))]))
    .map((m) => ({ ...m.groups }));
}

const source = readFileSync(`${root}${FILE}`, 'utf8');

test('Renovate finds the helm and flux CLI pins with their release repositories', () => {
  const found = extract(source);
  for (const [tool, repo] of [
    ['helm', 'helm/helm'],
    ['flux', 'fluxcd/flux2'],
  ] as const) {
    const pin = TOOL_PINS[tool];
    const dep = found.find((d) => d.depName === repo);
    assert.ok(dep, `no Renovate dependency for ${tool} (${repo})`);
    assert.equal(dep.currentValue, pin.version, tool);
    assert.equal(dep.datasource, 'github-releases');
    // The tags are v-prefixed; the pin is not.
    assert.equal(new RegExp(dep.extractVersion ?? '').exec(`v${pin.version}`)?.groups?.version, pin.version);
  }
});

test('a CLI pin without its annotation is no longer found (the check can fail)', () => {
  const stripped = source.replace(/\/\/ renovate: [^\n]*helm\/helm[^\n]*\n/, '');
  assert.notEqual(stripped, source);
  assert.deepEqual(
    extract(stripped).map((d) => d.depName),
    ['fluxcd/flux2'],
  );
});
