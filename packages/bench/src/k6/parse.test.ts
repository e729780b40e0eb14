import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { percentileMs } from '../stats/histogram.ts';
import { HTTP_METRICS, httpTags, metricLine, pointLine } from './format.ts';
import { invalidReasons, K6FormatError, parseK6Json } from './parse.ts';

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url).pathname;
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshproof-k6-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const write = async (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

/** A small run: every HTTP metric k6 emits per request, as k6 writes it. */
function run(
  durations: number[],
  opts: { scenario?: string; failed?: number; dropped?: number; url?: string } = {},
) {
  const scenario = opts.scenario ?? 'measure';
  const url = opts.url ?? 'http://backend.bench-mesh:8080/';
  const lines = HTTP_METRICS.map(([name, type, contains]) => metricLine(name, type, contains));
  lines.push(metricLine('dropped_iterations', 'counter', 'default'));
  durations.forEach((ms, i) => {
    const t = new Date(Date.UTC(2026, 11, 3, 8, 0, 0, i));
    const status = i < (opts.failed ?? 0) ? 503 : 200;
    for (const [name] of HTTP_METRICS) {
      const value =
        name === 'http_req_duration' ? ms : name === 'http_req_failed' ? (status === 200 ? 0 : 1) : 1;
      lines.push(pointLine(name, t, value, httpTags(url, scenario, status)));
    }
  });
  for (let i = 0; i < (opts.dropped ?? 0); i++)
    lines.push(pointLine('dropped_iterations', new Date(), 1, { scenario }));
  return `${lines.join('\n')}\n`;
}

test('a k6 output file: warm-up left out, measured http_req_duration percentiles, valid run', async () => {
  const r = await parseK6Json(fixture('k6-run.json'));
  assert.equal(r.count, 20);
  assert.equal(r.warmupCount, 5);
  assert.deepEqual(r.target, {
    scenario: 'measure',
    method: 'GET',
    name: 'http://backend.bench-plain.svc.cluster.local:8080/payload?bytes=1024',
  });
  // Values 0.1 … 2.0 ms: the median is the 10th value, the maximum the 20th (HDR keeps 3 digits).
  assert.ok(Math.abs(percentileMs(r.histogram, 50) - 1.0) < 0.001);
  assert.ok(Math.abs(percentileMs(r.histogram, 100) - 2.0) < 0.002);
  assert.equal(r.failedRequests, 0);
  assert.equal(r.droppedIterations, 0);
  assert.deepEqual(invalidReasons(r), []);
  assert.equal(r.firstSample, '2026-12-03T08:00:10.000004321Z');
});

test('the line layout of the k6 docs example (type first, "tainted" field) parses too', async () => {
  const r = await parseK6Json(fixture('k6-docs-example.json'));
  assert.equal(r.count, 1);
  assert.ok(Math.abs(percentileMs(r.histogram, 50) - 459.865729) / 459.865729 < 0.001);
  assert.equal(r.target.name, 'https://httpbin.test.k6.io/get');
});

test('gzipped output (k6 --out json=FILE.gz) reads the same', async () => {
  const path = await write('run.json.gz', gzipSync(await readFile(fixture('k6-run.json'))));
  assert.equal((await parseK6Json(path)).count, 20);
});

test('dropped iterations or failed requests make the run invalid, with the reason', async () => {
  const dropped = await parseK6Json(await write('dropped.json', run([1, 2, 3], { dropped: 2 })));
  assert.deepEqual(invalidReasons(dropped), [
    '2 dropped iterations (the load generator missed its schedule)',
  ]);
  const failed = await parseK6Json(await write('failed.json', run([1, 2, 3], { failed: 1 })));
  assert.deepEqual(invalidReasons(failed), ['1 failed requests (http_req_failed)']);
});

const rejects = async (name: string, text: string | Buffer, message: RegExp) => {
  const path = await write(name, text);
  await assert.rejects(parseK6Json(path), (e: Error) => {
    assert.ok(e instanceof K6FormatError, `${e}`);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(path), 'the message names the file');
    return true;
  });
};

test('an empty file, or only blank lines', async () => {
  await rejects('empty.json', '', /empty file/);
  await rejects('blank.json', '\n\n', /empty file/);
});

test('files that are not k6 JSON output', async () => {
  await rejects('summary.json', '{\n  "metrics": {}\n}\n', /:1: not k6 JSON output/);
  await rejects('csv.json', 'metric_name,timestamp,metric_value\nhttp_reqs,1,1\n', /:1: not k6 JSON output/);
  await rejects('other.json', '{"a":1}\n', /:1: not a k6 JSON output line/);
  await rejects('no-http.json', `${metricLine('vus', 'gauge', 'default')}\n`, /no http_req_duration metric/);
  const undeclared = pointLine('http_req_duration', new Date(), 1, httpTags('http://x/', 'measure'));
  await rejects('undeclared.json', `${undeclared}\n`, /:1: sample of metric "http_req_duration" before its/);
  await rejects('truncated.json', run([1, 2]).slice(0, -40), /not JSON \(truncated or corrupt line\)/);
  const wrongType = `${metricLine('http_req_duration', 'counter', 'default')}\n`;
  await rejects('wrong-type.json', wrongType, /declared as counter\/default, expected trend\/time/);
});

test('mixed runs or scenarios in one file are refused, naming what is mixed', async () => {
  await rejects('two-runs.json', run([1]) + run([2]), /declared twice: this file holds more than one k6 run/);
  const a = run([1, 2], { scenario: 'plain' });
  const b = run([1, 2], { scenario: 'mesh' })
    .split('\n')
    .filter((l) => l.includes('"Point"'))
    .join('\n');
  await rejects(
    'two-scenarios.json',
    `${a}${b}\n`,
    /2 different scenarios\/targets \(scenario=plain GET .* \(2\); scenario=mesh/,
  );
  const c = run([1], { url: 'http://other:8080/' })
    .split('\n')
    .filter((l) => l.includes('"Point"'))
    .join('\n');
  await rejects('two-targets.json', `${run([1])}${c}\n`, /2 different scenarios\/targets/);
  await rejects('only-warmup.json', run([1, 2], { scenario: 'warmup' }), /only 2 warm-up samples/);
});

test('failures and drops during warm-up are counted apart and do not invalidate the run', async () => {
  const warm = run([5, 6], { scenario: 'warmup', failed: 1, dropped: 2 });
  const measured = run([1, 2, 3])
    .split('\n')
    .filter((l) => l.includes('"Point"'))
    .join('\n');
  const r = await parseK6Json(await write('warm-fail.json', `${warm}${measured}\n`));
  assert.equal(r.count, 3);
  assert.equal(r.warmupFailedRequests, 1);
  assert.equal(r.warmupDroppedIterations, 2);
  assert.deepEqual(invalidReasons(r), []);
  const bad = run([1, 2], { failed: 1 });
  assert.deepEqual(
    invalidReasons(
      await parseK6Json(
        await write(
          'm-fail.json',
          `${warm}${bad
            .split('\n')
            .filter((l) => l.includes('"Point"'))
            .join('\n')}\n`,
        ),
      ),
    ),
    ['1 failed requests (http_req_failed)'],
  );
});
