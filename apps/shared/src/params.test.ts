import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBoundedInt, queryParam } from './params.ts';

test('parseBoundedInt accepts plain decimal integers in range', () => {
  assert.deepEqual(parseBoundedInt('n', '42', undefined, 0, 100), { ok: true, value: 42 });
  assert.deepEqual(parseBoundedInt('n', null, 7, 0, 100), { ok: true, value: 7 });
  assert.deepEqual(parseBoundedInt('n', '', 7, 0, 100), { ok: true, value: 7 });
  assert.deepEqual(parseBoundedInt('n', '0000000042', undefined, 0, 100), { ok: true, value: 42 });
  assert.deepEqual(parseBoundedInt('n', '0', undefined, 0, 100), { ok: true, value: 0 });
  assert.deepEqual(parseBoundedInt('n', '100', undefined, 0, 100), { ok: true, value: 100 });
});

test('parseBoundedInt rejects everything else with a message naming the parameter', () => {
  for (const bad of ['-1', '101', '1.5', '1e2', ' 5', '5 ', '+5', '0x10', 'abc', '5/', ':', '00000000042']) {
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

test('queryParam answers as URLSearchParams.get does, escapes and edge cases included', () => {
  for (const query of [
    'size=10',
    'a=1&size=2&size=3',
    'size',
    'size=',
    'size=&size=4',
    '&&size=5&',
    'sizes=6&size=7',
    'xsize=8',
    'size=9=9',
    '=size&size=10',
    'size=1%302',
    '%73ize=11',
    'size=1+2',
    'si+ze=12',
    'size=%zz',
    'a=b',
    '&',
    '=',
  ]) {
    assert.equal(queryParam(query, 'size'), new URLSearchParams(query).get('size'), query);
  }
});
