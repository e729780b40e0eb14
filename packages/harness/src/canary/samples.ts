// What the client saw: one entry per backend call, with when it completed, which version answered
// and whether it succeeded. The frontend's /api/fanout reports K calls at once; `fromFanout` spreads
// one such answer into K samples at the time it arrived.

export interface Sample {
  /** Milliseconds since the epoch. */
  t: number;
  /** The backend version that answered; undefined when the call failed before any version answered. */
  version?: string;
  ok: boolean;
}

/** The part of the frontend's `/api/fanout` answer the observer reads. */
export interface FanoutBody {
  calls: number;
  versions: Record<string, number>;
  errors: number;
}

/** Parses one fanout answer; a message naming what is wrong when it is not one. */
export function parseFanout(text: string): FanoutBody | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 120)}`;
  }
  const b = body as Partial<FanoutBody>;
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!b || typeof b !== 'object' || !count(b.calls) || !count(b.errors) || typeof b.versions !== 'object') {
    return `not a fanout answer ({calls, versions, errors}): ${text.slice(0, 120)}`;
  }
  const versions = b.versions as Record<string, unknown>;
  if (!Object.values(versions).every(count)) return `versions must map to counts: ${text.slice(0, 120)}`;
  const served = Object.values(versions as Record<string, number>).reduce((a, c) => a + c, 0);
  if (served + (b.errors as number) !== b.calls) {
    return `calls (${b.calls}) is not versions (${served}) + errors (${b.errors})`;
  }
  return b as FanoutBody;
}

export function fromFanout(t: number, body: FanoutBody): Sample[] {
  const out: Sample[] = [];
  for (const [version, n] of Object.entries(body.versions)) {
    for (let i = 0; i < n; i++) out.push({ t, version, ok: true });
  }
  for (let i = 0; i < body.errors; i++) out.push({ t, ok: false });
  return out;
}
