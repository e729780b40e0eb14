// An exact number of keep-alive GET requests, `concurrency` at a time: for counting a server's work
// per request (the client's speed does not matter there, only that every request was answered).
import { Agent, get } from 'node:http';

export type RequestTally = { ok: number; failed: number; firstError: string | undefined };

export async function sendRequests(url: URL, total: number, concurrency: number): Promise<RequestTally> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const tally: RequestTally = { ok: 0, failed: 0, firstError: undefined };
  const fail = (why: string) => {
    tally.failed++;
    tally.firstError ??= why;
  };
  let started = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) tally.ok++;
          else fail(`status ${res.statusCode}`);
          resolve();
        });
        res.on('error', (err) => {
          fail(err.message);
          resolve();
        });
      }).on('error', (err) => {
        fail(err.message);
        resolve();
      });
    });
  const worker = async () => {
    while (started < total) {
      started++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  } finally {
    agent.destroy();
  }
  return tally;
}
