// Wires the frontend: config → metrics registry, exporter, backend client and router → service.
import { createRegistry } from '@meshproof-app/shared/metrics';
import { registerProcessMetrics } from '@meshproof-app/shared/process-metrics';
import { exporterFor } from '@meshproof-app/shared/runtime';
import type { Service } from '@meshproof-app/shared/service';
import { createService } from '@meshproof-app/shared/service';
import { createBackendClient } from './backend-client.ts';
import type { FrontendConfig } from './config.ts';
import { frontendRouter } from './routes.ts';

export function createFrontend(config: FrontendConfig): Service {
  const registry = createRegistry();
  registerProcessMetrics(registry);
  const exporter = exporterFor(config);
  const client = createBackendClient(config.backendUrls, config.backendTimeoutMs, exporter);
  const calls = registry.counter('backend_calls_total', 'Calls from the frontend to the backend.', [
    'outcome',
  ]);
  const service = createService({
    serviceName: config.serviceName,
    version: config.version,
    router: frontendRouter(client, calls),
    registry,
    exporter,
    alwaysTrace: true, // every backend call carries a traceparent, sampled or not
    shutdownDelayMs: config.shutdownDelayMs,
    drainTimeoutMs: config.drainTimeoutMs,
  });
  service.server.on('close', () => client.close());
  return service;
}
