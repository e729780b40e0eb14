import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromFanout, parseFanout } from './samples.ts';

test('a fanout answer becomes one sample per call; errors keep the version that answered them', () => {
  const body = parseFanout(
    JSON.stringify({ calls: 6, versions: { v1: 2, v2: 1 }, errors: 3, errorVersions: { v2: 2 } }),
  );
  assert.ok(typeof body !== 'string');
  assert.deepEqual(fromFanout(7, body), [
    { t: 7, version: 'v1', ok: true },
    { t: 7, version: 'v1', ok: true },
    { t: 7, version: 'v2', ok: true },
    { t: 7, version: 'v2', ok: false },
    { t: 7, version: 'v2', ok: false },
    { t: 7, ok: false },
  ]);
});

test('answers that are not a consistent fanout are refused with the reason', () => {
  assert.match(String(parseFanout('<html>')), /not JSON/);
  assert.match(
    String(parseFanout('{"calls":2,"versions":{"v1":1},"errors":0}')),
    /calls \(2\) is not versions \(1\) \+ errors \(0\)/,
  );
  assert.match(
    String(parseFanout('{"calls":1,"versions":{},"errors":1,"errorVersions":{"v1":2}}')),
    /errorVersions \(2\) exceed errors \(1\)/,
  );
  assert.match(
    String(parseFanout('{"calls":1,"versions":{"v1":"x"},"errors":0}')),
    /versions must map to counts/,
  );
});
