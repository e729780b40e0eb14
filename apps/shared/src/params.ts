// Strict parsing of numbers that arrive in paths and query strings. Anything that is not a
// plain decimal integer in range is rejected, so handlers never see NaN, floats or huge values.

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

const notInRange = (name: string, min: number, max: number): Parsed => ({
  ok: false,
  message: `${name} must be an integer from ${min} to ${max}`,
});

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
  // Plain decimal digits only, at most 10 (enough for any bound used here, and Number() stays
  // exact); checked by char code, which is cheaper than a regular expression per request.
  if (text.length > 10) return notInRange(name, min, max);
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return notInRange(name, min, max);
    value = value * 10 + digit;
  }
  if (value < min || value > max) return notInRange(name, min, max);
  return { ok: true, value };
}

/** The value of one query parameter (the first, as URLSearchParams.get), without a URL object. */
export function queryParam(query: string, name: string): string | null {
  if (query === '') return null;
  // Escapes ('%', '+') need URLSearchParams' decoding, in names and values alike; plain queries
  // (what every client of ours sends) are split by hand.
  if (query.includes('%') || query.includes('+')) return new URLSearchParams(query).get(name);
  let from = 0;
  while (from <= query.length) {
    let to = query.indexOf('&', from);
    if (to === -1) to = query.length;
    const eq = query.indexOf('=', from);
    const nameEnd = eq === -1 || eq > to ? to : eq;
    if (nameEnd - from === name.length && query.startsWith(name, from)) {
      return nameEnd === to ? '' : query.slice(nameEnd + 1, to);
    }
    from = to + 1;
  }
  return null;
}
