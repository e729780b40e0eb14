// Series resolved once (labels()) and label values passed per call record into the same series.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from './metrics.ts';

test('a resolved series and per-call label values share one series', () => {
  const r = createRegistry();
  const h = r.histogram('d_seconds', 'D.', ['path', 'status'], [0.1, 1]);
  const c = r.counter('n_total', 'N.', ['path']);
  const series = h.labels(['/', '200']);
  series.observe(0.05);
  h.observe(['/', '200'], 0.5);
  series.observe(2);
  const counted = c.labels(['/a']);
  counted.inc();
  c.inc(['/a'], 2);
  counted.inc(4);
  const lines = r.render().split('\n');
  for (const expected of [
    'd_seconds_bucket{path="/",status="200",le="0.1"} 1',
    'd_seconds_bucket{path="/",status="200",le="1"} 2',
    'd_seconds_bucket{path="/",status="200",le="+Inf"} 3',
    'd_seconds_sum{path="/",status="200"} 2.55',
    'd_seconds_count{path="/",status="200"} 3',
    'n_total{path="/a"} 7',
  ]) {
    assert.ok(lines.includes(expected), `missing line: ${expected}\n${lines.join('\n')}`);
  }
  assert.equal(lines.filter((l) => l.startsWith('d_seconds_count')).length, 1, 'one series, not two');
});
