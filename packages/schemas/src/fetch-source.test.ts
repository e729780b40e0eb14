import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { httpFetcher, loadSource, SyncError, sha256 } from './fetch-source.ts';
import type { LockedSource } from './lock.ts';

const bytes = new TextEncoder().encode('kind: CustomResourceDefinition\n');
const source = (over: Partial<LockedSource> = {}): LockedSource => ({
  project: 'demo',
  version: 'v1',
  file: 'demo/v1/crd.yaml',
  url: 'https://example.test/demo/v1/crd.yaml',
  sha256: sha256(bytes),
  format: 'crd',
  ...over,
});
const unreachable = async (): Promise<Uint8Array> => {
  throw new Error('the network must not be used');
};

test('sha256 is the lowercase hex digest of the bytes', () => {
  assert.equal(sha256(new Uint8Array()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

describe('loadSource', () => {
  let mirror: string;
  before(async () => {
    mirror = await mkdtemp(join(tmpdir(), 'meshproof-source-'));
    await mkdir(join(mirror, 'demo/v1'), { recursive: true });
    await writeFile(join(mirror, 'demo/v1/crd.yaml'), bytes);
  });
  after(() => rm(mirror, { recursive: true, force: true }));

  test('a mirror is read instead of the network, and its bytes must hash to the lock', async () => {
    assert.deepEqual(new Uint8Array(await loadSource(source(), mirror, unreachable)), bytes);
    const wrong = source({ sha256: 'f'.repeat(64) });
    await assert.rejects(loadSource(wrong, mirror, unreachable), (e: Error) => {
      assert.ok(e instanceof SyncError);
      assert.equal(
        e.message,
        `sha256 mismatch for demo/v1/crd.yaml in mirror ${mirror}: expected ${'f'.repeat(64)}, got ${sha256(bytes)}. Refusing to use it.`,
      );
      return true;
    });
  });

  test('a file missing from the mirror is named with the mirror and the reason', async () => {
    await assert.rejects(
      loadSource(source({ file: 'demo/v1/other.yaml' }), mirror, unreachable),
      (e: Error) => {
        assert.ok(e instanceof SyncError);
        assert.equal(e.message, `mirror ${mirror} has no readable demo/v1/other.yaml (ENOENT)`);
        return true;
      },
    );
  });

  test('without a mirror the URL is downloaded and checked the same way', async () => {
    const asked: string[] = [];
    const fetcher = async (url: string) => {
      asked.push(url);
      return bytes;
    };
    assert.deepEqual(await loadSource(source(), undefined, fetcher), bytes);
    assert.deepEqual(asked, ['https://example.test/demo/v1/crd.yaml']);
    await assert.rejects(loadSource(source({ sha256: '0'.repeat(64) }), undefined, fetcher), (e: Error) => {
      assert.equal(
        e.message,
        `sha256 mismatch for demo/v1/crd.yaml: expected ${'0'.repeat(64)}, got ${sha256(bytes)}. Refusing to use it.`,
      );
      return true;
    });
  });
});

describe('httpFetcher', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/crd.yaml') res.end(Buffer.from(bytes));
      else res.writeHead(404).end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('returns the body of a 200 answer', async () => {
    assert.deepEqual(await httpFetcher(`${base}/crd.yaml`), bytes);
  });

  test('an error status is a failed download naming the status', async () => {
    await assert.rejects(httpFetcher(`${base}/missing.yaml`), /^Error: HTTP 404$/);
    await assert.rejects(
      loadSource(source({ url: `${base}/missing.yaml` }), undefined, httpFetcher),
      (e: Error) => {
        assert.ok(e instanceof SyncError);
        assert.match(
          e.message,
          /^could not download demo\/v1\/crd\.yaml from .+\/missing\.yaml \(HTTP 404\)\. Offline\? Pass --mirror DIR or set MESHPROOF_SCHEMA_MIRROR to a directory laid out like the upstream mirror\.$/,
        );
        return true;
      },
    );
  });
});
