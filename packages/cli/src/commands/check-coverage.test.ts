// The doctor's coverage table (packages/doctor/COVERAGE.md) and `meshproof check --list` must name the
// same checks: an ID the table cites must exist, and every check must have its row.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../test-io.ts';

const COVERAGE = fileURLToPath(new URL('../../../doctor/COVERAGE.md', import.meta.url));
// Doctor IDs are three or four letters and three digits; upstream codes (IST0101) have four digits.
const ID = /\b[A-Z]{3,4}\d{3}\b/g;

test('COVERAGE.md and check --list name the same check IDs', async () => {
  const table = new Set(readFileSync(COVERAGE, 'utf8').match(ID) ?? []);
  const { code, stdout } = await runCaptured(['check', '--list']);
  assert.equal(code, 0);
  const listed = new Set((stdout.match(/^[A-Z]{3,4}\d{3}(?= {2})/gm) ?? []).map(String));
  assert.ok(listed.size >= 30, `only ${listed.size} checks listed`);
  assert.deepEqual(
    [...table].filter((id) => !listed.has(id)).sort(),
    [],
    'IDs in COVERAGE.md that check --list does not show',
  );
  assert.deepEqual(
    [...listed].filter((id) => !table.has(id)).sort(),
    [],
    'checks without a row in COVERAGE.md',
  );
});

test('check --help names exactly the checks --list marks as opinions', async () => {
  const help = (await runCaptured(['check', '--help'])).stdout;
  const paragraph = help.slice(help.indexOf('Opinions vs. problems'), help.indexOf('every other check'));
  const named = new Set(paragraph.match(ID) ?? []);
  const { stdout } = await runCaptured(['check', '--list']);
  const opinions = new Set(stdout.match(/^[A-Z]{3,4}\d{3}(?= {2}\w+ +opinion)/gm) ?? []);
  assert.ok(opinions.size >= 5, `only ${opinions.size} opinions listed`);
  assert.deepEqual([...named].sort(), [...opinions].sort());
});
