/** argv as one line a POSIX shell reads back as the same words (for comments and printed plans). */
export const shellJoin = (argv: readonly string[]): string =>
  argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
