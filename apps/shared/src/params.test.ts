import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBoundedInt, queryParam } from './params.ts';

test('parseBoundedInt accepts plain decimal integers in range', () => {
  assert.deepEqual(parseBoundedInt('n', '42', undefined, 0, 100), { ok: true, value: 42 });
  assert.deepEqual(parseBoundedInt('n', null, 7, 0, 100), { ok: true, value: 7 });
  assert.deepEqual(parseBoundedInt('n', '', 7, 0, 100), { ok: true, value: 7 });
});

test('parseBoundedInt rejects everything else with a message naming the parameter', () => {
  for (const bad of ['-1', '101', '1.5', '1e2', ' 5', '0x10', 'abc', '99999999999999999999']) {
    const r = parseBoundedInt('size', bad, undefined, 0, 100);
    assert.equal(r.ok, false, bad);
    assert.match(r.ok ? '' : r.message, /^size must be an integer from 0 to 100$/);
  }
  assert.deepEqual(parseBoundedInt('ms', undefined, undefined, 0, 1), {
    ok: false,
    message: 'ms is required',
  });
});

test('queryParam reads one parameter from a raw query string', () => {
  assert.equal(queryParam('size=10&x=1', 'size'), '10');
  assert.equal(queryParam('x=1', 'size'), null);
  assert.equal(queryParam('', 'size'), null);
});
