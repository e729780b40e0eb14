// Scenario 5, the executor: runs the planned client argv twice (with the route's header, without
// it) in the caller's pod, reads one RequestEvidence line per request and judges the versions.
import type { RequestEvidence } from '../probes/evidence.ts';
import type { TaskExecutor } from '../registry.ts';
import type { HostTool } from '../step.ts';
import { type HeaderRouteExpectation, judgeHeaderRoute } from './header-route.ts';

type Argv = [HostTool, ...string[]];

function readAnswers(stdout: string, what: string): RequestEvidence[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as RequestEvidence;
      } catch {
        throw new Error(`${what}: line ${i + 1} of the client's output is not JSON: ${line.slice(0, 200)}`);
      }
    });
}

export const headerRouteTask: TaskExecutor = async (args, ctx) => {
  const argv = args.argv as { withHeader: Argv; withoutHeader: Argv } | undefined;
  if (!argv) throw new Error(`no client for ${String(args.app)}: nothing inside the mesh calls it`);
  const expect: HeaderRouteExpectation = {
    header: args.header as Record<string, string>,
    matched: String(args.matched),
    weighted: args.weighted as string[],
  };
  const requests = Number(args.requests);
  const run = async (which: 'withHeader' | 'withoutHeader') => {
    const r = await ctx.exec(argv[which]);
    if (r.code !== 0)
      throw new Error(
        `the client ${which === 'withHeader' ? 'with' : 'without'} the header exited ${r.code}: ${r.stderr.trim().slice(0, 300)}`,
      );
    return readAnswers(r.stdout, which);
  };
  // One after the other: the two samples must not compete for the same pod's connections.
  const withHeader = await run('withHeader');
  const withoutHeader = await run('withoutHeader');
  const verdict = judgeHeaderRoute(expect, withHeader, withoutHeader, requests);
  ctx.log(
    `with the header: ${JSON.stringify(verdict.withHeader)}; without: ${JSON.stringify(verdict.withoutHeader)}`,
  );
  ctx.evidence({
    type: 'header-route',
    app: String(args.app),
    client: String(args.client),
    header: expect.header,
    matched: expect.matched,
    weighted: expect.weighted,
    requests,
    withHeader: verdict.withHeader,
    withoutHeader: verdict.withoutHeader,
    passed: verdict.passed,
    problems: verdict.problems,
  });
  if (!verdict.passed) throw new Error(`header route of ${String(args.app)}: ${verdict.problems.join('; ')}`);
};
