// Every response of an app carries x-app-version (canary checks read it). Added as the headers are
// written rather than with setHeader up front: setHeader makes Node keep a header map per response
// and merge every later writeHead header into it one by one, which cost a bare-server-sized share
// of each request. Node's extension point for this is the ServerResponse class createServer takes.
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { ServerResponse } from 'node:http';

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

// The app's header goes first, so a handler that names the same header in writeHead wins, as it
// would have over an earlier setHeader.
function withHeader(headers: Headers | undefined, name: string, value: string): Headers {
  if (headers === undefined) return { [name]: value };
  if (!Array.isArray(headers)) return { [name]: value, ...headers };
  // writeHead takes a flat [name, value, …] list or a list of [name, value] pairs.
  return headers.length > 0 && Array.isArray(headers[0])
    ? [[name, value], ...headers]
    : [name, value, ...headers];
}

/**
 * A ServerResponse class whose writeHead (explicit, or implicit on the first write) adds the
 * header, unless the handler has set it itself.
 */
export function responseWithHeader(name: string, value: string): typeof ServerResponse<IncomingMessage> {
  const only: OutgoingHttpHeaders = Object.freeze({ [name]: value });
  // A frozen headers object is a handler's ready answer, given again on every request: merged once.
  // The last one is kept beside the map: a handler answering the same way again skips the lookup.
  const merged = new WeakMap<Headers, Headers>();
  let lastGiven: Headers | undefined;
  let lastAll: Headers | undefined;
  const add = (given: Headers): Headers => {
    if (given === lastGiven && lastAll !== undefined) return lastAll;
    if (!Object.isFrozen(given)) return withHeader(given, name, value);
    let all = merged.get(given);
    if (all === undefined) {
      all = Object.freeze(withHeader(given, name, value)) as Headers;
      merged.set(given, all);
    }
    lastGiven = given;
    lastAll = all;
    return all;
  };
  return class extends ServerResponse<IncomingMessage> {
    override writeHead(statusCode: number, reasonOrHeaders?: string | Headers, headers?: Headers): this {
      const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
      const given = reason === undefined ? (reasonOrHeaders as Headers | undefined) : headers;
      const all = this.hasHeader(name) ? given : given === undefined ? only : add(given);
      return reason === undefined
        ? super.writeHead(statusCode, all)
        : super.writeHead(statusCode, reason, all);
    }
  };
}
