// A stand-in for a mesh's weighted routing, for the local run (local-run.test.ts): an HTTP proxy that
// spreads requests over named upstreams by smooth weighted round-robin (every window of sum(weights)
// requests gets exactly each upstream's weight), with the weights, a phase label and a mode set over
// a small admin port. Mode "ignore" routes round-robin over every upstream with a weight and ignores
// the weights: the broken mesh the split check must catch. Header routes (`routes`: a request whose
// header has the value goes to that upstream, whatever the weights) stand in for a mesh's header
// match; mode "ignore" ignores them too. It runs in a container (node runs this file directly), so
// it imports node:* only and exports nothing.
//   env UPSTREAMS="v1=http://backend-v1:8080,v2=http://backend-v2:8080", PORT (8080), ADMIN_PORT (9090)
//   GET /state, PUT /state {"weights": {"v1": 90, "v2": 10}, "phase": "Progressing", "mode": "weighted",
//     "routes": [{"header": "x-version", "value": "v2", "upstream": "v2"}]}   (routes optional)
//   GET /state also reports `routed`: requests routed since the last PUT, so a stepper can wait until
//   a weight has carried enough traffic instead of trusting a fixed sleep on a busy machine.
import { createServer, request } from 'node:http';

const upstreams = new Map<string, URL>();
for (const entry of (process.env.UPSTREAMS ?? '').split(',').filter(Boolean)) {
  const [name, url] = entry.split('=');
  if (!name || !url || !URL.canParse(url))
    throw new Error(`UPSTREAMS entry "${entry}" is not name=http://host:port`);
  upstreams.set(name, new URL(url));
}
if (upstreams.size === 0) throw new Error('UPSTREAMS is empty');

type Mode = 'weighted' | 'ignore';
type Route = { header: string; value: string; upstream: string };
let state: { weights: Record<string, number>; phase: string; mode: Mode; routes?: Route[] } = {
  weights: { [[...upstreams.keys()][0] as string]: 100 },
  phase: 'Initialized',
  mode: 'weighted',
};
let current = new Map<string, number>();
let next = 0;
let routed = 0;

function pick(headers: Record<string, string | string[] | undefined>): string {
  const route =
    state.mode === 'weighted' ? state.routes?.find((r) => headers[r.header] === r.value) : undefined;
  if (route) return route.upstream;
  const active = Object.entries(state.weights).filter(([, w]) => w > 0);
  if (state.mode === 'ignore') return (active[next++ % active.length] as [string, number])[0];
  // Smooth weighted round-robin: raise each by its weight, take the highest, lower it by the total.
  const total = active.reduce((a, [, w]) => a + w, 0);
  let best = '';
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const [name, w] of active) {
    const score = (current.get(name) ?? 0) + w;
    current.set(name, score);
    if (score > bestScore) [best, bestScore] = [name, score];
  }
  current.set(best, bestScore - total);
  return best;
}

function validState(body: unknown): string | undefined {
  const b = body as typeof state;
  if (!b || typeof b !== 'object' || typeof b.phase !== 'string') return 'expected {weights, phase, mode}';
  if (b.mode !== 'weighted' && b.mode !== 'ignore') return 'mode must be weighted|ignore';
  const entries = Object.entries(b.weights ?? {});
  if (entries.some(([n, w]) => !upstreams.has(n) || !Number.isInteger(w) || w < 0))
    return 'weights: known upstream → whole number >= 0';
  if (!entries.some(([, w]) => w > 0)) return 'weights: at least one upstream above 0';
  const routes = b.routes ?? [];
  if (
    !Array.isArray(routes) ||
    routes.some(
      (r) => typeof r?.header !== 'string' || typeof r.value !== 'string' || !upstreams.has(r.upstream),
    )
  )
    return 'routes: [{header, value, upstream}] with known upstreams';
  return undefined;
}

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/state') {
    return void res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ...state, routed }));
  }
  if (req.method !== 'PUT' || req.url !== '/state') return void res.writeHead(404).end();
  let text = '';
  req.on('data', (c) => {
    text += c;
  });
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return void res.writeHead(400).end('not JSON');
    }
    const problem = validState(body);
    if (problem) return void res.writeHead(400).end(problem);
    const { weights, phase, mode, routes } = body as typeof state;
    state = { weights, phase, mode, ...(routes ? { routes } : {}) };
    current = new Map();
    routed = 0;
    res.writeHead(204).end();
  });
}).listen(Number(process.env.ADMIN_PORT ?? 9090));

createServer((req, res) => {
  const target = upstreams.get(pick(req.headers)) as URL;
  routed++;
  const upstream = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${err.message}`);
  });
  req.pipe(upstream);
}).listen(Number(process.env.PORT ?? 8080));
