// The baseline for the benchmark: plain node:http answering the same 1 KB body as /api/echo,
// with no routing, metrics, tracing or headers beyond what the bytes need.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.alloc(1024, 'meshproof.');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
// Bound the way the apps bind (no host: every address, IPv6 with IPv4 mapped), so the kernel's share
// of a request is the same on both sides; wrk still connects to 127.0.0.1.
server.listen(0, () => {
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', port: (server.address() as AddressInfo).port })}\n`,
  );
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
