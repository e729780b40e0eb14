// Latency histograms: HdrHistogram in integer microseconds (3 significant digits, so a recorded value is
// within 0.1 % of the sample), read back in milliseconds. One histogram per run keeps memory bounded
// whatever the number of samples, and runs of one side merge by adding histograms.
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** The percentiles every report states, as the keys used in JSON output. */
export const PERCENTILES = [
  { key: 'p50', q: 50 },
  { key: 'p90', q: 90 },
  { key: 'p99', q: 99 },
  { key: 'p999', q: 99.9 },
] as const;

export type PercentileKey = (typeof PERCENTILES)[number]['key'];
export type Percentiles = Record<PercentileKey, number>;

export const newHistogram = (): Histogram =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });

/** Records one latency given in milliseconds (k6's unit for time metrics). */
export const recordMs = (h: Histogram, ms: number): void => h.recordValue(Math.round(ms * 1000));

/** The value at percentile q (0–100) in milliseconds. */
export const percentileMs = (h: Histogram, q: number): number => h.getValueAtPercentile(q) / 1000;

export const percentilesMs = (h: Histogram): Percentiles => {
  const out = {} as Percentiles;
  for (const { key, q } of PERCENTILES) out[key] = percentileMs(h, q);
  return out;
};

export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged = newHistogram();
  for (const h of histograms) merged.add(h);
  return merged;
}

/** Compact text form kept in results.json so a report can re-read every run's full distribution. */
export const encodeHistogram = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);
export const decodeHistogram = (text: string): Histogram => hdr.decodeFromCompressedBase64(text);
