// Frontend configuration from the environment; invalid values throw ConfigError naming the variable.
import type { Env } from '@meshproof-app/shared/env';
import { ConfigError, readInt, readString } from '@meshproof-app/shared/env';
import type { CommonConfig } from '@meshproof-app/shared/runtime';
import { readCommonConfig } from '@meshproof-app/shared/runtime';

export type FrontendConfig = CommonConfig & {
  /** One URL behind a mesh; several (comma-separated) spread calls round-robin without one. */
  backendUrls: URL[];
  backendTimeoutMs: number;
};

export function readFrontendConfig(env: Env): FrontendConfig {
  const list = readString(env, 'BACKEND_URL', 'http://backend:8080', 2048);
  const backendUrls = list.split(',').map((s) => {
    const text = s.trim();
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (url?.protocol !== 'http:') {
      throw new ConfigError(`BACKEND_URL must be a comma-separated list of http:// URLs, got "${text}"`);
    }
    return url;
  });
  return {
    ...readCommonConfig(env, 'frontend'),
    backendUrls,
    backendTimeoutMs: readInt(env, 'BACKEND_TIMEOUT_MS', 2000, 10, 60_000),
  };
}
