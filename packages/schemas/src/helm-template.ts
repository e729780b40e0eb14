// Just enough of Helm's Go-template language to render Linkerd's CRD chart: `if`/`else`/`end`,
// `include` of known partials, `.Values`/`.Chart`/`.Release` fields and the few functions those
// templates call. Anything else is an error naming the file and line, never a silent pass-through.

export interface TemplateScope {
  Values: Record<string, unknown>;
  Chart: { Name: string; Version: string };
  Release: { Name: string; Namespace: string };
}

/** Partial templates by name; their bodies are rendered like any template. */
export type Partials = Record<string, string>;

type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; expr: string; line: number }
  | { type: 'if'; cond: string; line: number; whenTrue: Node[]; whenFalse: Node[] };

interface Token {
  kind: 'text' | 'action';
  value: string;
  line: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    let text = source.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    if (text) tokens.push({ kind: 'text', value: text, line: 0 });
    const line = source.slice(0, m.index).split('\n').length;
    tokens.push({ kind: 'action', value: m[2] ?? '', line });
    trimNext = m[3] === '-';
    last = re.lastIndex;
  }
  let tail = source.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  if (tail) tokens.push({ kind: 'text', value: tail, line: 0 });
  return tokens;
}

function parse(tokens: Token[], file: string): Node[] {
  let i = 0;
  const block = (closers: string[]): { nodes: Node[]; closer: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++] as Token;
      if (t.kind === 'text') {
        nodes.push({ type: 'text', text: t.value });
        continue;
      }
      const word = t.value.split(/\s+/, 1)[0] ?? '';
      if (closers.includes(word)) return { nodes, closer: word };
      if (t.value.startsWith('/*')) continue;
      if (word === 'if') {
        const thenPart = block(['else', 'end']);
        const elsePart = thenPart.closer === 'else' ? block(['end']).nodes : [];
        nodes.push({
          type: 'if',
          cond: t.value.slice(2).trim(),
          line: t.line,
          whenTrue: thenPart.nodes,
          whenFalse: elsePart,
        });
      } else if (['range', 'with', 'define', 'block', 'template', 'else', 'end'].includes(word)) {
        throw new Error(`${file}:${t.line}: unsupported template action "{{ ${t.value} }}"`);
      } else {
        nodes.push({ type: 'action', expr: t.value, line: t.line });
      }
    }
    if (closers.length > 0) throw new Error(`${file}: unterminated {{ if }} block (missing {{ end }})`);
    return { nodes, closer: '' };
  };
  return block([]).nodes;
}

type Value = unknown;

function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

// Tokens of one expression: parentheses, pipes, string literals, field paths, identifiers, numbers.
function lexExpr(expr: string): string[] {
  return expr.match(/"(?:[^"\\]|\\.)*"|\(|\)|\||[^\s()|]+/g) ?? [];
}

interface Evaluator {
  scope: TemplateScope;
  partials: Partials;
  where: string;
}

function field(path: string, scope: TemplateScope): Value {
  if (path === '.') return scope;
  let cur: Value = scope;
  for (const key of path.slice(1).split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, Value>)[key];
  }
  return cur;
}

const FUNCTIONS: Record<string, (ev: Evaluator, args: Value[]) => Value> = {
  ternary: (_ev, [a, b, cond]) => (truthy(cond) ? a : b),
  hasKey: (_ev, [map, key]) =>
    map !== null && typeof map === 'object' && Object.hasOwn(map as object, String(key)),
  replace: (_ev, [from, to, s]) => String(s).split(String(from)).join(String(to)),
  default: (_ev, [fallback, v]) => (truthy(v) ? v : fallback),
  quote: (_ev, [v]) => JSON.stringify(String(v ?? '')),
  printf: (_ev, [format, ...rest]) => {
    let n = 0;
    return String(format).replace(/%[sdv]/g, () => String(rest[n++] ?? ''));
  },
  include: (ev, [name]) => {
    const body = ev.partials[String(name)];
    if (body === undefined) throw new Error(`${ev.where}: include of unknown partial "${String(name)}"`);
    return renderNodes(parse(tokenize(body), `partial ${String(name)}`), ev);
  },
};

function evalTokens(tokens: string[], ev: Evaluator): Value {
  // Split the pipeline at top-level pipes; each later stage gets the previous value as last argument.
  const stages: string[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t === '(') depth++;
    if (t === ')') depth--;
    if (t === '|' && depth === 0) stages.push([]);
    else (stages[stages.length - 1] as string[]).push(t);
  }
  let piped: Value[] = [];
  for (const stage of stages) piped = [evalCommand(stage, ev, piped)];
  return piped[0];
}

function evalCommand(tokens: string[], ev: Evaluator, piped: Value[]): Value {
  const args: Value[] = [];
  let head: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < tokens.length && depth > 0; j++) {
        if (tokens[j] === '(') depth++;
        if (tokens[j] === ')') depth--;
      }
      args.push(evalTokens(tokens.slice(i + 1, j - 1), ev));
      i = j - 1;
    } else if (t.startsWith('"')) args.push(JSON.parse(t));
    else if (t.startsWith('.')) args.push(field(t, ev.scope));
    else if (/^-?\d+$/.test(t)) args.push(Number(t));
    else if (t === 'true' || t === 'false') args.push(t === 'true');
    else if (i === 0) head = t;
    else throw new Error(`${ev.where}: unexpected "${t}" in template expression`);
  }
  if (head === undefined) {
    if (args.length !== 1 || piped.length > 0) throw new Error(`${ev.where}: cannot evaluate expression`);
    return args[0];
  }
  const fn = FUNCTIONS[head];
  if (!fn) throw new Error(`${ev.where}: unsupported template function "${head}"`);
  return fn(ev, [...args, ...piped]);
}

function renderNodes(nodes: Node[], ev: Evaluator): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'action') {
      const v = evalTokens(lexExpr(node.expr), { ...ev, where: `${ev.where}:${node.line}` });
      out += v === undefined || v === null ? '' : String(v);
    } else {
      const cond = evalTokens(lexExpr(node.cond), { ...ev, where: `${ev.where}:${node.line}` });
      out += renderNodes(truthy(cond) ? node.whenTrue : node.whenFalse, ev);
    }
  }
  return out;
}

/** Render one chart template to text. Throws with `file:line` on anything it does not understand. */
export function renderHelmTemplate(
  source: string,
  file: string,
  scope: TemplateScope,
  partials: Partials,
): string {
  return renderNodes(parse(tokenize(source), file), { scope, partials, where: file });
}
