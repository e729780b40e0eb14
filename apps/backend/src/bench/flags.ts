// The benches' flags, all integers with a default and a range. A bad or unknown flag ends the
// process with exit 2, saying what was wrong and the usage line.
import { parseArgs } from 'node:util';

export type IntFlag = { default: number; min: number; max: number };

export function readIntFlags<K extends string>(
  command: string,
  flags: Record<K, IntFlag>,
  argv: string[] = process.argv.slice(2),
): Record<K, number> {
  const entries = Object.entries(flags) as [K, IntFlag][];
  const fail = (message: string): never => {
    console.error(`${command}: ${message}`);
    console.error(`usage: ${command} ${entries.map(([n, f]) => `[--${n} ${f.min}-${f.max}]`).join(' ')}`);
    process.exit(2);
  };
  let values: Record<string, unknown> = {};
  try {
    ({ values } = parseArgs({
      // pnpm passes a leading `--` through to the script.
      args: argv.filter((a, i) => !(i === 0 && a === '--')),
      options: Object.fromEntries(
        entries.map(([n, f]) => [n, { type: 'string', default: String(f.default) }]),
      ),
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  const read = ([name, f]: [K, IntFlag]): [K, number] => {
    const text = String(values[name]);
    if (!/^\d+$/.test(text) || Number(text) < f.min || Number(text) > f.max)
      fail(`--${name} must be an integer from ${f.min} to ${f.max}, got "${text}"`);
    return [name, Number(text)];
  };
  return Object.fromEntries(entries.map(read)) as Record<K, number>;
}
