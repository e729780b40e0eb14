// security.mtls: PERMISSIVE is a spec choice that must flow through: validate says what it means on
// every cluster's mesh, render records the spec's reason as the doctor's suppression, and check
// reports the finding as accepted (exit 0), never as an error to undo.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured } from './test-io.ts';

const repoConfig = fileURLToPath(new URL('../../../meshproof.config.ts', import.meta.url));
const REASON = 'legacy billing jobs call the shop in plaintext until they are meshed';

function permissiveConfig(dir: string, security: string): string {
  const source = readFileSync(repoConfig, 'utf8')
    .replace(
      /import \{ definePlatform \} from '@meshproof\/spec';/,
      'const definePlatform = (spec: unknown) => spec;',
    )
    .replace("security: { mtls: 'STRICT', defaultDeny: true },", `security: ${security},`);
  const file = join(dir, 'meshproof.config.ts');
  writeFileSync(file, source);
  return file;
}

test('PERMISSIVE: validate explains it per mesh, render records the reason, check accepts it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-permissive-'));
  const config = permissiveConfig(dir, `{ mtls: 'PERMISSIVE', mtlsReason: '${REASON}', defaultDeny: true }`);

  const validate = await runCaptured(['validate', '-c', config]);
  assert.equal(validate.code, 0, validate.stderr);
  const mtls = validate.stderr.split('\n').filter((l) => l.includes('security.mtls'));
  assert.deepEqual(
    mtls.map((l) => /on (kind-[\w-]+) \(([\w-]+)\)/.exec(l)?.[1]),
    ['kind-baseline', 'kind-istio-ambient', 'kind-istio-sidecar', 'kind-linkerd', 'kind-cilium'],
    'one line per cluster',
  );
  assert.match(
    mtls[1] ?? '',
    /^warning: security\.mtls on kind-istio-ambient \(istio-ambient\): PeerAuthentication istio-system\/default is PERMISSIVE: ztunnel also accepts plaintext/,
  );
  assert.match(
    mtls[3] ?? '',
    /security\.mtls is not applied on kind-linkerd \(linkerd\): with security\.defaultDeny/,
  );
  assert.match(mtls[4] ?? '', /is not applied on kind-cilium \(cilium\): Cilium has no permissive mode/);
  assert.match(mtls[0] ?? '', /is not applied on kind-baseline \(none\): without a mesh/);

  const out = join(dir, 'clusters');
  const render = await runCaptured(['render', '-c', config, '--out', out]);
  assert.equal(render.code, 0, render.stderr);
  const namespaces = readFileSync(
    join(out, 'kind-istio-ambient/infrastructure/configs/namespaces.yaml'),
    'utf8',
  );
  assert.match(
    namespaces,
    new RegExp(`meshproof.dev/ignore: "SEC001: security.mtls is PERMISSIVE in the spec: ${REASON}"`),
  );

  const check = await runCaptured(['check', out, '--skip-schemas', '--format', 'json']);
  const report = JSON.parse(check.stdout) as {
    findings: { id: string; severity: string }[];
    accepted: { id: string; reason: string; file: string }[];
  };
  assert.deepEqual(
    report.findings.filter((f) => f.severity === 'error'),
    [],
  );
  assert.equal(check.code, 0);
  const accepted = report.accepted.filter((a) => a.id === 'SEC001');
  assert.deepEqual(
    [...new Set(accepted.map((a) => a.file.replace(/.*clusters\//, '').split('/')[0]))].sort(),
    ['kind-istio-ambient', 'kind-istio-sidecar'],
  );
  for (const a of accepted) assert.equal(a.reason, `security.mtls is PERMISSIVE in the spec: ${REASON}`);
  const text = await runCaptured(['check', out, '--skip-schemas']);
  assert.match(
    text.stdout,
    /accepted SEC001 meshed namespace shop does not enforce STRICT mTLS.*\n {4}reason: security\.mtls is PERMISSIVE in the spec: legacy billing/,
  );
  rmSync(dir, { recursive: true });
});

test('PERMISSIVE without a reason is refused; a reason without PERMISSIVE too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-permissive-'));
  const bare = await runCaptured([
    'validate',
    '-c',
    permissiveConfig(dir, "{ mtls: 'PERMISSIVE', defaultDeny: true }"),
  ]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /security\.mtlsReason: PERMISSIVE accepts plaintext: say why/);
  const strict = await runCaptured([
    'validate',
    '-c',
    // A second file: Node caches a module by its path for the life of the process.
    permissiveConfig(
      mkdtempSync(join(tmpdir(), 'meshproof-permissive-')),
      "{ mtls: 'STRICT', mtlsReason: 'x', defaultDeny: true }",
    ),
  ]);
  assert.equal(strict.code, 2);
  assert.match(strict.stderr, /security\.mtlsReason: only used with security\.mtls = "PERMISSIVE"/);
  rmSync(dir, { recursive: true });
});
