// Fault injection in front of the app handlers (never the health or metrics endpoints), so a
// canary can be made to fail its analysis on purpose.
import { sendJson } from '@meshproof-app/shared/http';
import type { Handler } from '@meshproof-app/shared/service';
import type { Faults } from './config.ts';

export function withFaults(handler: Handler, faults: Faults, random: () => number = Math.random): Handler {
  if (faults.errorRate === 0 && (faults.delayMs === 0 || faults.delayRate === 0)) return handler;
  return async (req, res, ctx) => {
    if (faults.delayMs > 0 && random() < faults.delayRate) {
      await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
      if (res.destroyed) return;
    }
    if (random() < faults.errorRate) {
      sendJson(res, 500, { error: 'injected fault (FAULT_ERROR_RATE)' });
      return;
    }
    await handler(req, res, ctx);
  };
}
