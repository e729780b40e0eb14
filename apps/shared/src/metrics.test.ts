import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, escapeLabelValue } from './metrics.ts';

test('histograms render cumulative buckets, +Inf, sum and count per label set', () => {
  const r = createRegistry();
  const h = r.histogram('http_request_duration_seconds', 'Latency.', ['method', 'path', 'status'], [0.1, 1]);
  h.observe(['GET', '/', '200'], 0.05);
  h.observe(['GET', '/', '200'], 0.5);
  h.observe(['GET', '/', '200'], 3);
  h.observe(['GET', '/x', '500'], 0.1);
  const text = r.render();
  assert.match(
    text,
    /^# HELP http_request_duration_seconds Latency\.\n# TYPE http_request_duration_seconds histogram\n/,
  );
  const lines = text.split('\n');
  for (const expected of [
    'http_request_duration_seconds_bucket{method="GET",path="/",status="200",le="0.1"} 1',
    'http_request_duration_seconds_bucket{method="GET",path="/",status="200",le="1"} 2',
    'http_request_duration_seconds_bucket{method="GET",path="/",status="200",le="+Inf"} 3',
    'http_request_duration_seconds_sum{method="GET",path="/",status="200"} 3.55',
    'http_request_duration_seconds_count{method="GET",path="/",status="200"} 3',
    // le is inclusive: an observation equal to a bound falls in that bucket
    'http_request_duration_seconds_bucket{method="GET",path="/x",status="500",le="0.1"} 1',
  ]) {
    assert.ok(lines.includes(expected), `missing line: ${expected}\n${text}`);
  }
  assert.ok(text.endsWith('\n'));
});

test('counters and collected metrics render; label values are escaped', () => {
  const r = createRegistry();
  const c = r.counter('requests_total', 'Requests.', ['path']);
  c.inc(['/a"b\\c\nd']);
  c.inc(['/a"b\\c\nd'], 2);
  r.collect('in_flight', 'In flight.', 'gauge', () => 4);
  r.collect('info', 'Info.', 'gauge', () => [[{ version: 'v1' }, 1]]);
  const text = r.render();
  assert.ok(text.includes('requests_total{path="/a\\"b\\\\c\\nd"} 3\n'), text);
  assert.ok(text.includes('# TYPE in_flight gauge\nin_flight 4\n'));
  assert.ok(text.includes('info{version="v1"} 1\n'));
  assert.equal(escapeLabelValue('plain'), 'plain');
  assert.throws(() => r.counter('requests_total', 'again', []), /registered twice/);
});

test('series without labels have no braces; special values and help text are written as Prometheus reads them', () => {
  const r = createRegistry();
  r.counter('jobs_total', 'Jobs\\done\nso far.', []).inc([]);
  r.collect('up_seconds', 'Up.', 'counter', () => Number.POSITIVE_INFINITY);
  r.collect('down_seconds', 'Down.', 'gauge', () => Number.NEGATIVE_INFINITY);
  r.collect('open_fds', 'Fds.', 'gauge', () => Number.NaN);
  r.collect('states', 'States.', 'gauge', () => [
    [{}, 2],
    [{ state: 'a', zone: 'z"1' }, 0.5],
  ]);
  assert.deepEqual(r.render().split('\n'), [
    '# HELP jobs_total Jobs\\\\done\\nso far.',
    '# TYPE jobs_total counter',
    'jobs_total 1',
    '# HELP up_seconds Up.',
    '# TYPE up_seconds counter',
    'up_seconds +Inf',
    '# HELP down_seconds Down.',
    '# TYPE down_seconds gauge',
    'down_seconds -Inf',
    '# HELP open_fds Fds.',
    '# TYPE open_fds gauge',
    'open_fds NaN',
    '# HELP states States.',
    '# TYPE states gauge',
    'states 2',
    'states{state="a",zone="z\\"1"} 0.5',
    '',
  ]);
});

test('histogram bounds are sorted as numbers, whatever order they are given in', () => {
  const r = createRegistry();
  const h = r.histogram('size_bytes', 'Sizes.', ['kind'], [10, 2.5, 100, 0.5]);
  for (const v of [0.1, 3, 3, 50, 1000]) h.observe(['x'], v);
  const buckets = r
    .render()
    .split('\n')
    .filter((l) => l.startsWith('size_bytes_bucket'));
  assert.deepEqual(buckets, [
    'size_bytes_bucket{kind="x",le="0.5"} 1',
    'size_bytes_bucket{kind="x",le="2.5"} 1',
    'size_bytes_bucket{kind="x",le="10"} 3',
    'size_bytes_bucket{kind="x",le="100"} 4',
    'size_bytes_bucket{kind="x",le="+Inf"} 5',
  ]);
});
