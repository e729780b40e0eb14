// Parses many k6 output files on all CPUs: one worker thread per CPU (at most one per file), each streaming
// its files; the parse is CPU-bound, so this divides the wall time by the number of cores.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { decodeHistogram } from '../stats/histogram.ts';
import { K6FormatError, type K6Run, parseK6Json } from './parse.ts';

type Reply =
  | { index: number; run: Omit<K6Run, 'histogram'>; histogram: string }
  | { index: number; error: { format: boolean; message: string; code?: string; path?: string } };

function rebuild(error: { format: boolean; message: string; code?: string; path?: string }): Error {
  if (error.format) return new K6FormatError(error.message);
  return Object.assign(new Error(error.message), { code: error.code, path: error.path });
}

/** Same result as parseK6Json on each file, in the order given; the first failing file (in order) throws. */
export async function parseK6JsonFiles(files: readonly string[]): Promise<K6Run[]> {
  const threads = Math.min(files.length, availableParallelism());
  if (threads <= 1) {
    const runs: K6Run[] = [];
    for (const f of files) runs.push(await parseK6Json(f));
    return runs;
  }
  const results: Array<K6Run | Error | undefined> = new Array(files.length);
  let next = 0;
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL('./parse-worker.ts', import.meta.url)),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= files.length) return resolve();
              const index = next++;
              worker.postMessage({ index, file: files[index] });
            };
            worker.on('message', (reply: Reply) => {
              results[reply.index] =
                'error' in reply
                  ? rebuild(reply.error)
                  : { ...reply.run, histogram: decodeHistogram(reply.histogram) };
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const failure = results.find((r) => r instanceof Error);
  if (failure) throw failure;
  return results as K6Run[];
}
