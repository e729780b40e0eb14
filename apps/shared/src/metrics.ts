// A minimal Prometheus registry rendered in the text exposition format (version 0.0.4).
// Hand-written so the demo apps have no runtime dependencies; series are keyed by their label
// values joined into one string, so recording is a map lookup plus a short bucket scan.

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type Sample = readonly [labels: Readonly<Record<string, string>>, value: number];

export type Counter = {
  inc(labelValues: readonly string[], by?: number): void;
  /** The series of these label values, resolved once: a hot path keeps it and skips the lookup. */
  labels(labelValues: readonly string[]): { inc(by?: number): void };
};
export type Histogram = {
  observe(labelValues: readonly string[], value: number): void;
  /** The series of these label values, resolved once: a hot path keeps it and skips the lookup. */
  labels(labelValues: readonly string[]): { observe(value: number): void };
};

type Family = { name: string; help: string; type: MetricType; render(out: string[]): void };

export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SEP = '\u0000';

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

export type Registry = {
  counter(name: string, help: string, labelNames: readonly string[]): Counter;
  histogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets?: readonly number[],
  ): Histogram;
  /** A metric whose samples are read when /metrics is scraped (process stats, in-flight counts). */
  collect(name: string, help: string, type: MetricType, read: () => number | readonly Sample[]): void;
  render(): string;
};

export function createRegistry(): Registry {
  const families: Family[] = [];
  const add = (f: Family) => {
    if (families.some((x) => x.name === f.name)) throw new Error(`metric ${f.name} registered twice`);
    families.push(f);
  };

  return {
    counter(name, help, labelNames) {
      const series = new Map<string, { values: readonly string[]; value: number }>();
      add({
        name,
        help,
        type: 'counter',
        render(out) {
          for (const s of series.values()) out.push(`${name}${labelText(labelNames, s.values)} ${s.value}`);
        },
      });
      const resolve = (values: readonly string[]) => {
        const key = values.join(SEP);
        let s = series.get(key);
        if (s === undefined) {
          s = { values: [...values], value: 0 };
          series.set(key, s);
        }
        return s;
      };
      return {
        inc(values, by = 1) {
          resolve(values).value += by;
        },
        labels(values) {
          const s = resolve(values);
          return {
            inc(by = 1) {
              s.value += by;
            },
          };
        },
      };
    },

    histogram(name, help, labelNames, buckets = DEFAULT_BUCKETS) {
      const bounds = [...buckets].sort((a, b) => a - b);
      type Series = { values: readonly string[]; counts: Float64Array; sum: number; count: number };
      const series = new Map<string, Series>();
      add({
        name,
        help,
        type: 'histogram',
        render(out) {
          for (const s of series.values()) {
            let cumulative = 0;
            bounds.forEach((le, i) => {
              cumulative += s.counts[i] ?? 0;
              out.push(`${name}_bucket${labelText(labelNames, s.values, `le="${le}"`)} ${cumulative}`);
            });
            out.push(`${name}_bucket${labelText(labelNames, s.values, 'le="+Inf"')} ${s.count}`);
            out.push(`${name}_sum${labelText(labelNames, s.values)} ${s.sum}`);
            out.push(`${name}_count${labelText(labelNames, s.values)} ${s.count}`);
          }
        },
      });
      const resolve = (values: readonly string[]) => {
        const key = values.join(SEP);
        let s = series.get(key);
        if (s === undefined) {
          s = { values: [...values], counts: new Float64Array(bounds.length), sum: 0, count: 0 };
          series.set(key, s);
        }
        return s;
      };
      const record = (s: Series, value: number) => {
        let i = 0;
        while (i < bounds.length && value > (bounds[i] as number)) i++;
        if (i < bounds.length) s.counts[i] = (s.counts[i] ?? 0) + 1;
        s.sum += value;
        s.count++;
      };
      return {
        observe(values, value) {
          record(resolve(values), value);
        },
        labels(values) {
          const s = resolve(values);
          return { observe: (value) => record(s, value) };
        },
      };
    },

    collect(name, help, type, read) {
      add({
        name,
        help,
        type,
        render(out) {
          const result = read();
          if (typeof result === 'number') {
            out.push(`${name} ${formatValue(result)}`);
            return;
          }
          for (const [labels, value] of result) {
            const names = Object.keys(labels);
            out.push(`${name}${labelText(names, Object.values(labels))} ${formatValue(value)}`);
          }
        },
      });
    },

    render() {
      const out: string[] = [];
      for (const f of families) {
        out.push(
          `# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
          `# TYPE ${f.name} ${f.type}`,
        );
        f.render(out);
      }
      return `${out.join('\n')}\n`;
    },
  };
}
