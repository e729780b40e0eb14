// `bench --local` end to end at the quick profile: real proxies, the real demo backend, real load.
// Timing is not asserted (other suites load this machine); the shape and honesty of the output is.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { invalidReasons, parseK6Json } from '../k6/parse.ts';
import { LOCAL_PROFILES } from './profiles.ts';
import { runLocalBench } from './run.ts';

let out: string;
after(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('bench --local --profile quick: alternating plain/mesh runs through a real mTLS pair, as k6 JSON', async () => {
  out = await mkdtemp(join(tmpdir(), 'meshproof-bench-local-'));
  const lines: string[] = [];
  const profile = LOCAL_PROFILES.quick;
  const r = await runLocalBench(out, 'test-run', profile, (l) => lines.push(l));
  assert.equal(r.dir, join(out, 'test-run', 'local'));
  assert.deepEqual(await readdir(join(out, 'test-run')), ['local'], 'no partial folder left');
  assert.deepEqual(
    r.runs.map((x) => `${x.repetition}-${x.side}`),
    ['1-plain', '1-mesh', '2-mesh', '2-plain', '3-plain', '3-mesh'],
  );
  assert.equal(lines.length, 6);
  for (const run of r.runs) {
    const parsed = await parseK6Json(run.file);
    assert.equal(parsed.target.scenario, run.side);
    assert.equal(parsed.target.name, 'http://127.0.0.1/api/echo?size=1024');
    // Every scheduled iteration is accounted for: a reply (one duration sample each), a drop or a failure.
    const g = run.generator;
    assert.equal(g.scheduled, profile.rate * profile.durationSeconds);
    assert.equal(parsed.count, g.completed);
    assert.ok(g.completed + g.dropped <= g.scheduled && g.failed >= g.scheduled - g.completed - g.dropped);
    // Valid exactly when neither the measured nor the warm-up part dropped or failed anything.
    assert.equal(
      invalidReasons(parsed).length === 0,
      parsed.droppedIterations === 0 && parsed.failedRequests === 0,
    );
    assert.ok(parsed.droppedIterations >= g.dropped && parsed.failedRequests >= g.failed);
    assert.equal(
      parsed.warmupCount + (await warmDropsAndFailures(run.file)),
      profile.rate * profile.warmupSeconds,
    );
  }
  // The mesh side went through the proxies: they used CPU while it ran (sampled from /proc).
  for (const rep of [1, 2, 3]) {
    const res = JSON.parse(await readFile(join(r.dir, 'resources', `0${rep}-mesh.json`), 'utf8'));
    const pods = new Set(res.samples.map((s: { pod: string }) => s.pod));
    assert.deepEqual([...pods].sort(), ['proxy-a', 'proxy-b']);
    assert.ok(res.samples.some((s: { cpuMillicores: number }) => s.cpuMillicores > 0));
  }
  assert.match(r.versions.haproxy ?? '', /^HAProxy version \d/);
  // Everything it started is gone, keys included.
  assert.equal(existsSync(r.started.pkiDir), false);
  assert.deepEqual(r.started.pids.filter(alive), []);
  assert.equal(r.started.pids.length, 2 + 6);
});

/** Warm-up iterations that produced no duration sample: dropped, or failed without a reply. */
async function warmDropsAndFailures(file: string): Promise<number> {
  let n = 0;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.includes('"scenario":"warmup"')) continue;
    if (line.includes('"metric":"dropped_iterations"')) n++;
    else if (line.includes('"metric":"http_req_failed"') && line.includes('"status":"0"')) n++;
  }
  return n;
}
