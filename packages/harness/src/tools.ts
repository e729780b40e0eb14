// The tool and Docker checks live in ./tools/; this file keeps the package's old import path working.
export * from './tools/index.ts';
