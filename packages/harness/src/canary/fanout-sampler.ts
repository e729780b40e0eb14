// The in-pod client of the split and blast-radius checks. It runs inside the frontend's own container
// (`kubectl exec … node --input-type=module-typescript -e <this file> …`), so the frontend calls the
// backend from its own identity and through its own mesh data path, and needs nothing but the node
// binary the image already has. It asks the frontend's /api/fanout every `periodMs` and prints one
// JSON line per answer; it stops when `stopFile` appears (the runner creates it once the Canary
// settles) or after `maxMs`. Self-contained on purpose: node:* imports only, no exports.
import { existsSync } from 'node:fs';
import { request } from 'node:http';

const [url = '', nText = '20', periodText = '250', stopFile = '', maxText = '600000'] = process.argv.slice(1);
const n = Number(nText);
const periodMs = Number(periodText);
const maxMs = Number(maxText);
if (!url.startsWith('http://') || !(n >= 1 && n <= 100) || !(periodMs >= 10) || !(maxMs > 0) || !stopFile) {
  process.stderr.write(
    'usage: <http://frontend/api/fanout> <calls 1..100> <periodMs >= 10> <stopFile> <maxMs>\n',
  );
  process.exit(2);
}

const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

function fanout(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}?n=${n}`, { timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

const started = Date.now();
line({ start: started });
let answers = 0;
while (Date.now() - started < maxMs && !existsSync(stopFile)) {
  const tick = Date.now();
  try {
    const { status, body } = await fanout();
    // Times are when the answer arrived, on this pod's clock (the runner corrects for the offset).
    line({ t: Date.now(), status, body });
    answers++;
  } catch (err) {
    line({ t: Date.now(), error: String(err).slice(0, 200) });
  }
  const wait = periodMs - (Date.now() - tick);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
line({ end: Date.now(), answers });
