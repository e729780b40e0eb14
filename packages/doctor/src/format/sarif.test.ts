// The SARIF output is checked against the properties SARIF 2.1.0 requires (and the ones GitHub
// code scanning reads), not against a snapshot of itself.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { allChecks } from '../checks/index.ts';
import { runChecks } from '../engine.ts';
import type { Check, Finding } from '../model.ts';
import { toSarif } from './sarif.ts';

const LEVELS = ['none', 'note', 'warning', 'error'];
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function assertSarif(log: unknown, ruleIds: Set<string>): void {
  assert.ok(isObj(log));
  assert.equal(log.version, '2.1.0');
  assert.ok(Array.isArray(log.runs) && log.runs.length === 1);
  const run = log.runs[0] as Record<string, unknown>;
  const driver = (run.tool as { driver: Record<string, unknown> }).driver;
  assert.equal(typeof driver.name, 'string');
  assert.ok(Array.isArray(driver.rules));
  const rules = driver.rules as Record<string, unknown>[];
  for (const r of rules) {
    assert.equal(typeof r.id, 'string');
    assert.equal(typeof (r.shortDescription as { text: unknown }).text, 'string');
    assert.ok(LEVELS.includes(String((r.defaultConfiguration as { level: unknown }).level)));
  }
  assert.deepEqual(new Set(rules.map((r) => r.id)), ruleIds);
  assert.ok(Array.isArray(run.results));
  for (const r of run.results as Record<string, unknown>[]) {
    assert.ok(isObj(r.message) && typeof r.message.text === 'string' && r.message.text.length > 0);
    assert.ok(ruleIds.has(String(r.ruleId)));
    assert.equal(rules[r.ruleIndex as number]?.id, r.ruleId, 'ruleIndex points at the rule');
    assert.ok(LEVELS.includes(String(r.level)));
    const loc = (r.locations as Record<string, Record<string, Record<string, unknown>>>[])[0];
    const uri = String(loc?.physicalLocation?.artifactLocation?.uri);
    assert.doesNotMatch(uri, /^(\/|[a-z]+:)/i, 'artifact uri is relative');
    const region = loc?.physicalLocation?.region as { startLine: number; startColumn: number };
    assert.ok(Number.isInteger(region.startLine) && region.startLine >= 1);
    assert.ok(Number.isInteger(region.startColumn) && region.startColumn >= 1);
  }
}

test('SARIF output has every required 2.1.0 property and relative locations', async () => {
  const cwd = join(import.meta.dirname, '..', 'checks', 'fixtures');
  const report = await runChecks({ paths: ['SEC005/fail', 'REF002/fail'], cwd });
  assert.ok(report.findings.length > 3);
  const log = JSON.parse(JSON.stringify(toSarif(report, allChecks)));
  assertSarif(log, new Set(allChecks.map((c) => c.id)));
  const first = log.runs[0].results[0];
  assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, report.findings[0]?.file);
  assert.equal(first.locations[0].physicalLocation.region.startLine, report.findings[0]?.line);
});

test('the SARIF shape check rejects what code scanning would reject', () => {
  const ids = new Set(['X001']);
  const good = {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'm',
            rules: [
              { id: 'X001', shortDescription: { text: 't' }, defaultConfiguration: { level: 'error' } },
            ],
          },
        },
        results: [
          {
            ruleId: 'X001',
            ruleIndex: 0,
            level: 'error',
            message: { text: 'm' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'a.yaml' },
                  region: { startLine: 1, startColumn: 1 },
                },
              },
            ],
          },
        ],
      },
    ],
  };
  assertSarif(good, ids);
  const variant = (from: string, to: string): unknown => JSON.parse(JSON.stringify(good).replace(from, to));
  assert.throws(() => assertSarif(variant('"uri":"a.yaml"', '"uri":"/abs/a.yaml"'), ids), /relative/);
  assert.throws(() => assertSarif(variant('"level":"error","message"', '"level":"fatal","message"'), ids));
  assert.throws(() => assertSarif(variant('"startLine":1', '"startLine":0'), ids));
});

test('each severity maps to its SARIF level, on the rule and on the result', () => {
  const severities = ['error', 'warning', 'info'] as const;
  const checks: Check[] = severities.map((severity, i) => ({
    id: `TST00${i + 1}`,
    severity,
    title: `a ${severity} check`,
    description: 'stands for every check of this severity',
    hint: 'none',
    run: () => [],
  }));
  const findings: Finding[] = checks.map((c) => ({
    id: c.id,
    severity: c.severity,
    message: 'm',
    hint: 'h',
    file: 'a.yaml',
    line: 1,
    col: 1,
  }));
  const log = toSarif({ findings, accepted: [], files: 1, objects: 1, clusters: 0 }, checks);
  const run = log.runs[0] as unknown as {
    tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
    results: { ruleId: string; level: string }[];
  };
  const expected = { TST001: 'error', TST002: 'warning', TST003: 'note' };
  assert.deepEqual(
    Object.fromEntries(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level])),
    expected,
  );
  assert.deepEqual(Object.fromEntries(run.results.map((r) => [r.ruleId, r.level])), expected);
});
