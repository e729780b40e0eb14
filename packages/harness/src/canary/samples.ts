// What the client saw: one entry per backend call, with when it completed, which version answered
// and whether it succeeded. The frontend's /api/fanout reports K calls at once; `fromFanout` spreads
// one such answer into K samples at the time it arrived.

export interface Sample {
  /** Milliseconds since the epoch. */
  t: number;
  /** The backend version that answered (with success or an error status); undefined when none named itself. */
  version?: string;
  ok: boolean;
}

/** The part of the frontend's `/api/fanout` answer the observer reads. */
export interface FanoutBody {
  calls: number;
  versions: Record<string, number>;
  errors: number;
  /** Of the errors, those a backend answered, by the version it named. */
  errorVersions?: Record<string, number>;
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
  const errorVersions = (b.errorVersions ?? {}) as Record<string, unknown>;
  if (typeof errorVersions !== 'object' || !Object.values(errorVersions).every(count)) {
    return `errorVersions must map to counts: ${text.slice(0, 120)}`;
  }
  const named = Object.values(errorVersions as Record<string, number>).reduce((a, c) => a + c, 0);
  if (named > (b.errors as number)) return `errorVersions (${named}) exceed errors (${b.errors})`;
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
  let named = 0;
  for (const [version, n] of Object.entries(body.errorVersions ?? {})) {
    for (let i = 0; i < n; i++) out.push({ t, version, ok: false });
    named += n;
  }
  for (let i = named; i < body.errors; i++) out.push({ t, ok: false });
  return out;
}
