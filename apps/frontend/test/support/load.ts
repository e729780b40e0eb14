// A steady closed-loop load that behaves like a load balancer in front of one endpoint: it
// polls readiness as a kubelet would and stops sending new requests once the endpoint reports
// not ready (the "endpoint removed" moment), while requests already sent must still complete.
import { Agent, get } from 'node:http';

export type LoadReport = {
  sent: number;
  ok: number;
  failed: number;
  failures: string[];
  /** Requests in flight at the moment markSignal() was called. */
  inFlightAtSignal: number;
  /** Requests that completed successfully after markSignal(). */
  okAfterSignal: number;
};

function request(agent: Agent | false, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    })
      .on('timeout', function (this: { destroy(e: Error): void }) {
        this.destroy(new Error('timeout'));
      })
      .on('error', reject);
  });
}

export function startLoad(base: string, path: string, workers: number, readinessEveryMs = 100) {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  const report: LoadReport = {
    sent: 0,
    ok: 0,
    failed: 0,
    failures: [],
    inFlightAtSignal: 0,
    okAfterSignal: 0,
  };
  let routable = true;
  let signalled = false;
  let inFlight = 0;

  const probe = setInterval(() => {
    request(false, `${base}/readyz`).then(
      (status) => {
        if (status !== 200) routable = false;
      },
      () => (routable = false),
    );
  }, readinessEveryMs);

  async function worker(): Promise<void> {
    while (routable) {
      report.sent++;
      inFlight++;
      try {
        const status = await request(agent, `${base}${path}`);
        if (status >= 200 && status < 300) {
          report.ok++;
          if (signalled) report.okAfterSignal++;
        } else {
          report.failed++;
          report.failures.push(`HTTP ${status}`);
        }
      } catch (err) {
        report.failed++;
        report.failures.push(String(err));
      } finally {
        inFlight--;
      }
    }
  }
  const running = Promise.all(Array.from({ length: workers }, worker));

  return {
    markSignal() {
      signalled = true;
      report.inFlightAtSignal = inFlight;
    },
    /** Resolves once the endpoint was taken out and every sent request has settled. */
    async finished(): Promise<LoadReport> {
      await running;
      clearInterval(probe);
      agent.destroy();
      return report;
    },
  };
}
