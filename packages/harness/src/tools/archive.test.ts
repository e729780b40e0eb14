import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checksumFor, sha256 } from './checksum.ts';
import { extractMember } from './tar.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

test('checksum files: a bare hash, one shasum line, a goreleaser list', () => {
  assert.equal(checksumFor(`${A}\n`, 'kubectl'), A);
  assert.equal(checksumFor(`${A}  kind-linux-amd64\n`, 'kind-linux-amd64'), A);
  assert.equal(
    checksumFor(`${A.toUpperCase()} *helm-v4.2.4-linux-amd64.tar.gz`, 'helm-v4.2.4-linux-amd64.tar.gz'),
    A,
  );
  const list = `${A}  flux_2.9.4_darwin_arm64.tar.gz\n${B}  flux_2.9.4_linux_amd64.tar.gz\n`;
  assert.equal(checksumFor(list, 'flux_2.9.4_linux_amd64.tar.gz'), B);
  assert.equal(checksumFor(list, 'flux_2.9.4_linux_arm64.tar.gz'), undefined);
  assert.equal(checksumFor(`${A}  kind-darwin-arm64\n`, 'kind-linux-amd64'), undefined, 'another asset');
  assert.equal(checksumFor('<html>Not Found</html>', 'kubectl'), undefined);
  assert.equal(
    sha256(Buffer.from('abc')),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('tar.gz: the member is found under ./, a long GNU name and after other files; a missing one is undefined', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-tar-'));
  try {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
    mkdirSync(join(dir, 'src', deep), { recursive: true });
    mkdirSync(join(dir, 'src', 'linux-amd64'));
    writeFileSync(join(dir, 'src', 'README.md'), 'readme\n');
    writeFileSync(join(dir, 'src', 'linux-amd64', 'helm'), 'helm binary\n');
    writeFileSync(join(dir, 'src', deep, 'tool'), 'deep binary\n');
    const archive = join(dir, 'a.tgz');
    execFileSync('tar', ['-czf', archive, '-C', join(dir, 'src'), './README.md', './linux-amd64', deep]);
    const bytes = readFileSync(archive);
    assert.equal(Buffer.from(extractMember(bytes, 'linux-amd64/helm') ?? '').toString(), 'helm binary\n');
    assert.equal(Buffer.from(extractMember(bytes, `${deep}/tool`) ?? '').toString(), 'deep binary\n');
    assert.equal(extractMember(bytes, 'linux-arm64/helm'), undefined);
    assert.throws(() => extractMember(Buffer.from('not gzip'), 'x'), /incorrect header check/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
