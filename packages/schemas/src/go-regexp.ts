// CRD `pattern`s are RE2 (Go) syntax. Translate the bits JavaScript spells differently; a pattern
// that still does not compile matches everything, because a broken pattern is no reason to
// report a user's manifest as invalid.
const ANYTHING = /[\s\S]*/u;

export function goPatternToJs(source: string): string {
  return source
    .replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
}

export function goRegExp(source: string, flags: string): RegExp {
  try {
    return new RegExp(goPatternToJs(source), flags);
  } catch {
    return ANYTHING;
  }
}
