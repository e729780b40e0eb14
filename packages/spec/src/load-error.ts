import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a config module failed: 1-based line and column. */
export interface SourcePosition {
  line: number;
  col: number;
}

// Node reports a TypeScript/JavaScript syntax error in the stack's head, not in the message:
//   <file or file:// URL>:<line>
//   <the source line before>
//   <the failing line>
//   <spaces>^^^^
// A failure while the module runs has the position in a stack frame instead: `(<url>:<line>:<col>)`.
function syntaxPosition(stack: string, file: string): SourcePosition | undefined {
  const lines = stack.split('\n');
  const head = /^(.*):(\d+)$/.exec(lines[0] ?? '');
  if (!head?.[1] || !head[2] || !sameFile(head[1], file)) return undefined;
  const caret = lines.slice(1).find((l) => /^\s*\^+\s*$/.test(l));
  return { line: Number(head[2]), col: caret ? caret.indexOf('^') + 1 : 1 };
}

function framePosition(stack: string, file: string): SourcePosition | undefined {
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?\/[^\s()]+):(\d+):(\d+)\)?/g)) {
    const [, where, line, col] = match;
    if (where && sameFile(where, file)) return { line: Number(line), col: Number(col) };
  }
  return undefined;
}

function sameFile(where: string, file: string): boolean {
  try {
    return (where.startsWith('file://') ? fileURLToPath(where) : where) === file;
  } catch {
    return false;
  }
}

/** The position in `file` a load error points at, when Node reports one. */
export function errorPosition(error: unknown, file: string): SourcePosition | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return syntaxPosition(stack, file) ?? framePosition(stack, file);
}

/** A code frame: the line before, the failing line with a caret under the column, the line after. */
export function codeFrame(source: string, at: SourcePosition): string {
  const lines = source.split('\n');
  const first = Math.max(1, at.line - 1);
  const last = Math.min(lines.length, at.line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    out.push(`${n === at.line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`.trimEnd());
    if (n === at.line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, at.col - 1))}^`);
  }
  return out.join('\n');
}

/**
 * "<shown>:<line>:<col>: <first line of the message>" and a code frame, or just the message when
 * Node gave no position inside the file (e.g. a module it imports is missing).
 */
export function describeLoadError(error: unknown, file: string, shown: string): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const at = errorPosition(error, file);
  if (!at) return `cannot load ${shown}: ${message}`;
  let frame = '';
  try {
    frame = `\n${codeFrame(readFileSync(file, 'utf8'), at)}`;
  } catch {
    // The file vanished between the import and now: the position alone still helps.
  }
  return `cannot load ${shown}:${at.line}:${at.col}: ${message}${frame}`;
}
