import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readInt, readRate, readString, readUrl } from './env.ts';

test('readInt accepts integers in range and falls back when unset or empty', () => {
  assert.equal(readInt({ PORT: '8080' }, 'PORT', 1, 1, 65535), 8080);
  assert.equal(readInt({}, 'PORT', 3000, 1, 65535), 3000);
  assert.equal(readInt({ PORT: '  ' }, 'PORT', 3000, 1, 65535), 3000);
});

test('readInt rejects non-integers and out-of-range values, naming the variable', () => {
  for (const bad of ['abc', '1.5', '0', '65536', '1e3', '-1']) {
    assert.throws(
      () => readInt({ PORT: bad }, 'PORT', 1, 1, 65535),
      (err: unknown) => {
        return err instanceof ConfigError && err.message.startsWith('PORT ') && err.message.includes(bad);
      },
    );
  }
});

test('readRate takes probabilities from 0 to 1 only', () => {
  assert.equal(readRate({ R: '0.25' }, 'R', 0), 0.25);
  assert.equal(readRate({ R: '1' }, 'R', 0), 1);
  assert.equal(readRate({ R: '.5' }, 'R', 0), 0.5);
  assert.equal(readRate({}, 'R', 0.1), 0.1);
  for (const bad of ['1.01', '-0.1', 'half', 'NaN', 'Infinity', '0x1']) {
    assert.throws(() => readRate({ R: bad }, 'R', 0), /^ConfigError: R must be a number from 0 to 1/);
  }
});

test('readUrl and readString validate shape and length', () => {
  assert.equal(readUrl({ U: 'http://collector:4318' }, 'U')?.host, 'collector:4318');
  assert.equal(readUrl({}, 'U'), undefined);
  assert.throws(() => readUrl({ U: 'collector:4318' }, 'U'), /U must be an http\(s\) URL/);
  assert.throws(() => readUrl({ U: 'not a url' }, 'U'), /U must be an http\(s\) URL/);
  assert.equal(readString({ V: 'v2' }, 'V', 'dev'), 'v2');
  assert.throws(() => readString({ V: 'x'.repeat(65) }, 'V', 'dev', 64), /V must be at most 64 characters/);
});
