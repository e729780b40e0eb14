// Compiled validators kept on disk: ajv's compilation of the large upstream CRD schemas (Istio,
// Cilium, Flux) is most of a cold `meshproof check`. ajv's standalone code for a schema is written to
// <cache>/compiled/<sha256 of schema and ajv version>.cjs on first use and evaluated from there
// afterwards, so a new process compiles only schemas it has never seen. `schemas sync` replaces the
// cache folder, and a changed schema has another hash, so a stale file is never read.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _, type Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { sha256 } from './fetch-source.ts';
import { goRegExp } from './go-regexp.ts';

const require = createRequire(import.meta.url);
const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;

/** ajv options standalone code needs: the formats and the pattern engine are named in the code. */
export const standaloneOptions = { source: true, formats: _`formats` };

type Evaluated = { exports: ValidateFunction };

function evaluate(code: string, ajv: Ajv): ValidateFunction {
  const module: Evaluated = { exports: undefined as unknown as ValidateFunction };
  // The code is ajv's own output for a schema of the verified cache: CommonJS that requires ajv's
  // runtime helpers and refers to `goRegExp` and `formats` by name.
  new Function('require', 'module', 'exports', 'goRegExp', 'formats', code)(
    require,
    module,
    module.exports,
    goRegExp,
    ajv.formats,
  );
  return module.exports;
}

/** The validator for `schemaText` (the cached schema file), from disk when compiled before. */
export function compileCached(
  ajv: Ajv,
  cacheDir: string,
  schemaText: string,
  schema: AnySchema,
): ValidateFunction {
  const file = join(cacheDir, 'compiled', `${sha256(Buffer.from(`${AJV_VERSION}\n${schemaText}`))}.cjs`);
  try {
    return evaluate(readFileSync(file, 'utf8'), ajv);
  } catch {
    // Not compiled yet (or unreadable): compile and try to keep it; a read-only cache still works.
  }
  const fn = ajv.compile(schema);
  try {
    // CommonJS default export: the function is the module's `default` property.
    const code = standalone.default(ajv, fn);
    mkdirSync(join(cacheDir, 'compiled'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  } catch {
    // Keeping the compiled code is an optimisation only.
  }
  return fn;
}
