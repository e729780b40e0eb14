// Strict parsing of numbers that arrive in paths and query strings. Anything that is not a
// plain decimal integer in range is rejected, so handlers never see NaN, floats or huge values.

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

export function parseBoundedInt(
  name: string,
  text: string | null | undefined,
  fallback: number | undefined,
  min: number,
  max: number,
): Parsed {
  if (text === null || text === undefined || text === '') {
    if (fallback !== undefined) return { ok: true, value: fallback };
    return { ok: false, message: `${name} is required` };
  }
  // 10 digits is enough for any bound used here and keeps Number() exact.
  if (!/^\d{1,10}$/.test(text))
    return { ok: false, message: `${name} must be an integer from ${min} to ${max}` };
  const value = Number(text);
  if (value < min || value > max)
    return { ok: false, message: `${name} must be an integer from ${min} to ${max}` };
  return { ok: true, value };
}

/** The value of one query parameter, without building a URL object on the hot path. */
export function queryParam(query: string, name: string): string | null {
  if (query === '') return null;
  return new URLSearchParams(query).get(name);
}
