// Wires the backend: config → metrics registry, exporter and router → service.
import { createRegistry } from '@meshproof-app/shared/metrics';
import { registerProcessMetrics } from '@meshproof-app/shared/process-metrics';
import { exporterFor } from '@meshproof-app/shared/runtime';
import type { Service } from '@meshproof-app/shared/service';
import { createService } from '@meshproof-app/shared/service';
import type { BackendConfig } from './config.ts';
import { backendRouter } from './routes.ts';

export function createBackend(config: BackendConfig): Service {
  const registry = createRegistry();
  registerProcessMetrics(registry);
  return createService({
    serviceName: config.serviceName,
    version: config.version,
    router: backendRouter(config),
    registry,
    exporter: exporterFor(config),
    shutdownDelayMs: config.shutdownDelayMs,
    drainTimeoutMs: config.drainTimeoutMs,
  });
}
