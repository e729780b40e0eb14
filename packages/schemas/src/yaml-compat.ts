// Some upstream CRDs (Flagger's) continue multi-line quoted scalars at the same indentation as
// their key. Go's YAML parser accepts that; the strict `yaml` package reads it as new keys. Indent
// such continuation lines one level deeper so both parsers see the same string.

/** Index just past the closing quote of a quoted scalar starting at `from`, or -1 if it runs on. */
function closeIndex(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

export function reindentQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  let open: { quote: string; indent: string } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (open) {
      const end = closeIndex(line, 0, open.quote);
      const body = line.trimStart();
      if (line.length - body.length <= open.indent.length) lines[n] = `${open.indent}  ${body}`;
      if (end >= 0) open = undefined;
      continue;
    }
    const m = /^(\s*)(?:- )?[^\s#'"][^:#]*: (['"])/.exec(line);
    if (m && closeIndex(line, m[0].length, m[2] as string) < 0)
      open = { quote: m[2] as string, indent: m[1] as string };
  }
  return lines.join('\n');
}
