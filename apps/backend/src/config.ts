// Backend configuration from the environment; invalid values throw ConfigError naming the variable.
import type { Env } from '@meshproof-app/shared/env';
import { readInt, readRate } from '@meshproof-app/shared/env';
import type { CommonConfig } from '@meshproof-app/shared/runtime';
import { readCommonConfig } from '@meshproof-app/shared/runtime';

export type Faults = {
  /** Share of app requests answered with 500, for canary rollback tests. */
  errorRate: number;
  /** Extra latency added to a share (delayRate) of app requests. */
  delayMs: number;
  delayRate: number;
};

export type BackendConfig = CommonConfig & { faults: Faults };

export function readBackendConfig(env: Env): BackendConfig {
  return {
    ...readCommonConfig(env, 'backend'),
    faults: {
      errorRate: readRate(env, 'FAULT_ERROR_RATE', 0),
      delayMs: readInt(env, 'FAULT_DELAY_MS', 0, 0, 60_000),
      delayRate: readRate(env, 'FAULT_DELAY_RATE', 1),
    },
  };
}
