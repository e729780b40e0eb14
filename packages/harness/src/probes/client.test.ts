import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_COUNT, parseClientArgs } from './client.ts';

const url = ['--url', 'http://backend.shop:8080/'];

test('headers and count: parsed, names lowercased, defaults one request and no headers', () => {
  const one = parseClientArgs(url);
  assert.equal(one.count, 1);
  assert.equal(one.headers, undefined);
  const many = parseClientArgs([...url, '--header', 'X-Version: v2', '--header', 'x-b:', '--count', '50']);
  assert.deepEqual(many.headers, { 'x-version': 'v2', 'x-b': '' });
  assert.equal(many.count, 50);
});

test('bad headers and counts are refused with the flag and the value', () => {
  for (const [args, message] of [
    [['--header', 'x-version'], /--header: expected name:value .*got "x-version"/],
    [['--header', ':v2'], /--header: expected name:value/],
    [['--header', 'x version:v2'], /--header: expected name:value/],
    [['--header', 'Host:elsewhere'], /other than host\//],
    [['--count', '0'], /--count: expected an integer from 1 to 1000; got "0"/],
    [['--count', String(MAX_COUNT + 1)], /--count: expected an integer/],
    [['--count', '2.5'], /--count: expected an integer/],
  ] as const) {
    assert.throws(() => parseClientArgs([...url, ...args]), message, args.join(' '));
  }
});
