// Typed reads of environment variables. A bad value must stop the process at start-up with the
// variable's name in the message, never turn into NaN or a silent default deep inside a handler.

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readString(env: Env, name: string, fallback: string, maxLength = 128): string {
  const value = raw(env, name) ?? fallback;
  if (value.length > maxLength) throw new ConfigError(`${name} must be at most ${maxLength} characters`);
  return value;
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** A probability: a decimal number from 0 to 1. */
export function readRate(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(value) || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ConfigError(`${name} must be a number from 0 to 1, got "${value}"`);
  }
  return n;
}

export function readUrl(env: Env, name: string): URL | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return url;
}
