// `meshproof bench --local --profile quick` end to end: real HAProxy mTLS pair, the real demo backend,
// real load, then results.json and the report. Timing is not asserted (other suites load this machine
// meanwhile); what is written, and that it is honest about itself, is.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ClusterResults, invalidReasons, LOCAL_PROFILES, parseK6Json } from '@meshproof/bench';
import { runCaptured } from '../test-io.ts';

let out = '';
before(async () => {
  out = await mkdtemp(join(tmpdir(), 'meshproof-bench-local-cli-'));
});
after(() => rm(out, { recursive: true, force: true }));

/** Command lines of running processes that mention `text`. */
const processesMentioning = (text: string) =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        return '';
      }
    })
    .filter((cmd) => cmd.includes(text));

describe('meshproof bench --local', () => {
  test('rejects an unknown profile (exit 2)', async () => {
    const r = await runCaptured(['bench', '--local', '--profile', 'medium']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--profile must be quick or full \(got "medium"\)/);
  });

  test('without HAProxy it says how to install it (exit 1) and writes nothing', async () => {
    const path = process.env.PATH;
    process.env.PATH = await mkdtemp(join(tmpdir(), 'meshproof-empty-path-'));
    try {
      const r = await runCaptured(['bench', '--local', '--out', join(out, 'no-haproxy')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /apt-get install haproxy/);
      assert.equal(existsSync(join(out, 'no-haproxy')), false);
    } finally {
      process.env.PATH = path;
    }
  });

  test('--profile quick: paired runs through a real mTLS pair, results.json and the report', async () => {
    const r = await runCaptured(['bench', '--local', '--profile', 'quick', '--out', out]);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /not a mesh result: the cost of one mTLS proxy hop pair/);
    const [runId] = (await readdir(out)).filter((d) => /^\d{8}T\d{6}Z$/.test(d));
    assert.ok(runId, `no run folder in ${await readdir(out)}`);
    const dir = join(out, runId, 'local');
    assert.deepEqual((await readdir(join(out, runId))).sort(), [
      'local',
      'report.html',
      'report.json',
      'report.md',
    ]);

    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as ClusterResults;
    assert.equal(results.cluster, 'local');
    assert.equal(results.mesh, 'local-mtls-proxy');
    assert.match(results.label, /not a mesh result/);
    assert.match(results.environment.versions.haproxy ?? '', /^HAProxy version \d/);
    assert.ok(results.environment.host.cpuModel && results.environment.host.cpus > 0);
    assert.deepEqual(
      results.runs.map((x) => `${x.repetition}-${x.side}`),
      ['1-plain', '1-mesh', '2-mesh', '2-plain', '3-plain', '3-mesh'],
    );
    // Exit 0 exactly when some repetition pair was valid and analysed; invalid runs are named, never averaged.
    assert.equal(r.code, results.analysis ? 0 : 1);
    assert.match(r.stdout, results.analysis ? /Overhead, mesh − plain/ : /nothing to analyse/);
    for (const run of results.runs.filter((x) => !x.valid))
      assert.match(r.stdout, new RegExp(`left out: repetition ${run.repetition} ${run.side}`));

    const profile = LOCAL_PROFILES.quick;
    const generator = JSON.parse(await readFile(join(dir, 'generator.json'), 'utf8'));
    for (const [i, run] of results.runs.entries()) {
      const parsed = await parseK6Json(join(dir, run.raw));
      assert.deepEqual(parsed.target, {
        scenario: run.side,
        method: 'GET',
        name: 'http://127.0.0.1/api/echo?size=1024',
      });
      assert.equal(run.valid, invalidReasons(parsed).length === 0);
      // Every scheduled iteration is accounted for: a reply (one duration sample each), a drop or a failure.
      const g = generator[i];
      assert.equal(g.scheduled, profile.rate * profile.durationSeconds);
      assert.equal(parsed.count, g.completed);
      assert.ok(g.failed >= g.scheduled - g.completed - g.dropped);
      assert.ok(parsed.warmupCount <= profile.rate * profile.warmupSeconds);
    }
    // The mesh side went through the proxies: both used CPU while it ran.
    const proxyCost = results.resources.find((x) => x.side === 'mesh');
    assert.equal(proxyCost?.component, 'haproxy mTLS pair (A + B)');
    assert.ok((proxyCost?.cpuMillicoresMax ?? 0) > 0 && (proxyCost?.memoryMiBMax ?? 0) > 0);

    const html = await readFile(join(out, runId, 'report.html'), 'utf8');
    assert.match(html, /Local floor, not a mesh result/);
    // Everything it started is gone, the throwaway keys included.
    const pkiDir = /throwaway CA and keys in (\S+) \(deleted at the end\)/.exec(r.stdout)?.[1] as string;
    assert.ok(pkiDir);
    assert.equal(existsSync(pkiDir), false);
    assert.deepEqual(processesMentioning(pkiDir), []);
  });
});
