// Test server for the load generator, run as a child process so that its stalls do not stop the
// generator: GET /ok answers at once, /delay?ms=N after N ms, /block?ms=N busy-waits N ms (the
// whole server stops, like a GC pause) and says when, /arrivals returns the times of the /ok and
// /delay requests so far. Times are Date.now(): the wall clock is what two processes share (each
// one's performance.timeOrigin is read at its start-up and may be off by tens of ms on a busy
// machine). Prints {"port":N} on stdout once listening.
import { createServer } from 'node:http';

const arrivals: number[] = [];
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const ms = Number(url.searchParams.get('ms') ?? 0);
  if (url.pathname === '/ok' || url.pathname === '/delay') {
    arrivals.push(Date.now());
    const reply = () => res.writeHead(200, { 'content-length': 2 }).end('ok');
    if (url.pathname === '/delay') setTimeout(reply, ms);
    else reply();
  } else if (url.pathname === '/block') {
    const from = Date.now();
    const start = performance.now();
    while (performance.now() < start + ms) {}
    const body = JSON.stringify({ from, until: Date.now() });
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  } else if (url.pathname === '/arrivals') {
    const body = JSON.stringify(arrivals.splice(0));
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      .end(body);
  } else res.writeHead(404, { 'content-length': 0 }).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
