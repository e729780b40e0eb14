// Worker side of parseK6JsonFiles: parses the files it is sent, one at a time, and returns each run with its
// histogram encoded (a histogram object cannot cross threads).
import { parentPort } from 'node:worker_threads';
import { encodeHistogram } from '../stats/histogram.ts';
import { K6FormatError, parseK6Json } from './parse.ts';

parentPort?.on('message', async ({ index, file }: { index: number; file: string }) => {
  try {
    const { histogram, ...run } = await parseK6Json(file);
    parentPort?.postMessage({ index, run, histogram: encodeHistogram(histogram) });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    parentPort?.postMessage({
      index,
      error: { format: error instanceof K6FormatError, message: e.message, code: e.code, path: e.path },
    });
  }
});
