// What the injector takes and refuses per annotation, with the exact reason IST125 prints: the
// boundaries (65535, 2^32-1, /32, /128), each spelling of a boolean, '*' only where Istio takes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANNOTATION_VALUES } from './istio-annotation-values.ts';

function judge(key: string, value: string): string | undefined {
  const validate = ANNOTATION_VALUES.get(key);
  assert.ok(validate, `no validator for ${key}`);
  return validate(value);
}

function judgeAll(key: string, cases: [string, string | undefined][]): void {
  for (const [value, want] of cases) assert.equal(judge(key, value), want, `${key}: '${value}'`);
}

test('interception mode: exactly REDIRECT, TPROXY or NONE', () => {
  judgeAll('sidecar.istio.io/interceptionMode', [
    ['REDIRECT', undefined],
    ['TPROXY', undefined],
    ['NONE', undefined],
    ['redirect', "'redirect' is not REDIRECT, TPROXY or NONE"],
    ['', "'' is not REDIRECT, TPROXY or NONE"],
  ]);
});

test('status port: a port number, spaces around it trimmed', () => {
  judgeAll('status.sidecar.istio.io/port', [
    ['0', undefined],
    ['65535', undefined],
    [' 15020 ', undefined],
    ['65536', "'65536' is not a port number (0-65535)"],
    ['15020x', "'15020x' is not a port number (0-65535)"],
    ['x15020', "'x15020' is not a port number (0-65535)"],
    ['-1', "'-1' is not a port number (0-65535)"],
    ['', "'' is not a port number (0-65535)"],
  ]);
});

test('readiness numbers: whole numbers up to 2^32-1, no sign, unit or spaces', () => {
  const max = '4294967295';
  const over = '4294967296';
  judgeAll('readiness.status.sidecar.istio.io/initialDelaySeconds', [
    ['0', undefined],
    [max, undefined],
    [over, `'${over}' is not a whole number of seconds`],
    ['10s', "'10s' is not a whole number of seconds"],
    [' 10', "' 10' is not a whole number of seconds"],
  ]);
  judgeAll('readiness.status.sidecar.istio.io/periodSeconds', [
    ['10', undefined],
    [max, undefined],
    [over, `'${over}' is not a whole number of seconds`],
    ['-1', "'-1' is not a whole number of seconds"],
  ]);
  judgeAll('readiness.status.sidecar.istio.io/failureThreshold', [
    ['3', undefined],
    [max, undefined],
    [over, `'${over}' is not a whole number`],
    ['3.5', "'3.5' is not a whole number"],
  ]);
});

test("inbound ports to capture: ports or '*', each trimmed; empty captures none", () => {
  judgeAll('traffic.sidecar.istio.io/includeInboundPorts', [
    ['*', undefined],
    ['', undefined],
    ['   ', undefined],
    ['8080, 9090', undefined],
    ['0,65535', undefined],
    ['*,8080', "'*' in '*,8080' is not a port number (0-65535) or '*'"],
    ['8080,65536', "'65536' in '8080,65536' is not a port number (0-65535) or '*'"],
    ['8080,', "'' in '8080,' is not a port number (0-65535) or '*'"],
  ]);
});

test("excluded ports: ports only, '*' is refused", () => {
  for (const key of [
    'traffic.sidecar.istio.io/excludeInboundPorts',
    'traffic.sidecar.istio.io/excludeOutboundPorts',
  ])
    judgeAll(key, [
      ['', undefined],
      [' ', undefined],
      ['15020', undefined],
      [' 5432 , 6379 ', undefined],
      ['*', "'*' in '*' is not a port number (0-65535)"],
      ['5432, db', "' db' in '5432, db' is not a port number (0-65535)"],
    ]);
});

test("outbound ranges to capture: CIDR ranges without spaces, or '*' alone", () => {
  judgeAll('traffic.sidecar.istio.io/includeOutboundIPRanges', [
    ['*', undefined],
    ['', undefined],
    ['0.0.0.0/0', undefined],
    ['10.0.0.1/32,fd00::/8', undefined],
    ['::/0,2001:db8::1/128', undefined],
    ['10.0.0.1', "'10.0.0.1' in '10.0.0.1' is not a CIDR range such as 10.0.0.0/8 (or use '*' alone)"],
    ['*,10.0.0.0/8', "'*' in '*,10.0.0.0/8' is not a CIDR range such as 10.0.0.0/8 (or use '*' alone)"],
  ]);
});

test('excluded ranges: every prefix length and address is checked', () => {
  const refused = (range: string, list = range) =>
    [list, `'${range}' in '${list}' is not a CIDR range such as 10.0.0.0/8`] as [string, string];
  judgeAll('traffic.sidecar.istio.io/excludeOutboundIPRanges', [
    ['', undefined],
    ['10.0.0.0/8,192.168.0.0/16', undefined],
    ['10.0.0.0/32', undefined],
    ['fe80::/128', undefined],
    refused('*'),
    refused(' 192.168.0.0/16', '10.0.0.0/8, 192.168.0.0/16'),
    refused('10.0.0.0/33'),
    refused('fe80::/129'),
    refused('10.0.0.0/'),
    refused('10.0.0.0/08'),
    refused('10.0.0.0/8x'),
    refused('10.0.0.0/x8'),
    refused('/8'),
    refused('10.0.0/8'),
    refused('fe80::1%eth0/64'),
    refused('host.example/8'),
    refused('10.0.0.0/8/8'),
  ]);
});

test('merge-metrics: the spellings Go parses as a boolean, nothing else', () => {
  const spellings = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
  judgeAll('prometheus.istio.io/merge-metrics', [
    ...spellings.map((s): [string, undefined] => [s, undefined]),
    ['yes', "'yes' is not true or false"],
    ['tRUE', "'tRUE' is not true or false"],
    ['', "'' is not true or false"],
  ]);
});

test('annotations without a value rule are not judged', () => {
  assert.equal(ANNOTATION_VALUES.get('sidecar.istio.io/proxyCPU'), undefined);
  assert.equal(ANNOTATION_VALUES.size, 11);
});
