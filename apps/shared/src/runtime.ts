// Start-up and signal handling common to both apps' entry points.
import { hostname } from 'node:os';
import type { Env } from './env.ts';
import { ConfigError, readInt, readString } from './env.ts';
import { logEvent } from './http.ts';
import type { Exporter } from './otlp.ts';
import { createOtlpExporter, otlpTracesUrl } from './otlp.ts';
import type { Service } from './service.ts';

export type CommonConfig = {
  serviceName: string;
  version: string;
  podName: string;
  port: number;
  shutdownDelayMs: number;
  drainTimeoutMs: number;
  otlpUrl: URL | undefined;
};

export function readCommonConfig(env: Env, defaultServiceName: string): CommonConfig {
  return {
    serviceName: readString(env, 'OTEL_SERVICE_NAME', defaultServiceName),
    version: readString(env, 'VERSION', 'dev', 64),
    // Kubernetes sets HOSTNAME to the pod name; POD_NAME (downward API) wins when present.
    podName: readString(env, 'POD_NAME', env.HOSTNAME ?? hostname(), 253),
    port: readInt(env, 'PORT', 8080, 0, 65535), // 0: any free port (tests)
    shutdownDelayMs: readInt(env, 'SHUTDOWN_DELAY_MS', 1000, 0, 60_000),
    drainTimeoutMs: readInt(env, 'DRAIN_TIMEOUT_MS', 10_000, 100, 120_000),
    otlpUrl: otlpTracesUrl(env),
  };
}

export function exporterFor(config: CommonConfig): Exporter | undefined {
  if (!config.otlpUrl) return undefined;
  return createOtlpExporter({
    url: config.otlpUrl,
    serviceName: config.serviceName,
    serviceVersion: config.version,
  });
}

/**
 * Runs an app: a config error exits 2 with the message (which names the variable), SIGTERM and
 * SIGINT drain the service and exit 0, or 1 when the drain timed out.
 */
export async function runMain(
  name: string,
  start: () => Promise<{ service: Service; port: number }>,
): Promise<void> {
  let started: { service: Service; port: number };
  try {
    started = await start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logEvent(name, err instanceof ConfigError ? 'config_error' : 'start_failed', { message });
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(2);
  }
  logEvent(name, 'listening', { port: started.port });
  const stop = async (signal: string) => {
    logEvent(name, 'shutdown_started', { signal, inFlight: started.service.inFlight() });
    const drained = await started.service.shutdown();
    logEvent(name, 'shutdown_finished', { drained });
    process.exit(drained ? 0 : 1);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
