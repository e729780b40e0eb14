import { execFile } from 'node:child_process';
import { formatMiB } from './memory.ts';

/** What one cluster needs from Docker, in MiB (a MemoryEstimate fits). */
export interface ClusterNeed {
  cluster: string;
  totalMiB: number;
}

export interface DockerCheck {
  /** Problems that stop the run (exit 2); empty when Docker can host every cluster asked for. */
  problems: string[];
  /** What was found, for the run's log and results. */
  lines: string[];
  serverVersion?: string;
  memTotalMiB?: number;
  cpus?: number;
  needs: readonly ClusterNeed[];
}

export interface DockerCheckOptions {
  /** The clusters this run creates, one after another (estimateClusterMemory). */
  needs: readonly ClusterNeed[];
  env?: NodeJS.ProcessEnv;
  /** The docker CLI to run. */
  docker?: string;
  timeoutMs?: number;
}

interface DockerInfo {
  ServerVersion?: string;
  MemTotal?: number;
  NCPU?: number;
  ServerErrors?: string[];
}

const INSTALL =
  'install Docker Engine (Linux) or Docker Desktop (macOS): https://docs.docker.com/get-started/get-docker/';
const START =
  'start the Docker daemon, or point DOCKER_HOST (or `docker context use`) at a running engine; on Linux also check that your user may use its socket';

function dockerInfo(docker: string, env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ info?: DockerInfo; problem?: string }>((resolve) => {
    execFile(
      docker,
      ['info', '--format', '{{json .}}'],
      { env, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT') return resolve({ problem: `docker: not on PATH; ${INSTALL}` });
        if (error && (error as { killed?: boolean }).killed)
          return resolve({
            problem: `docker: \`docker info\` gave no answer within ${timeoutMs / 1000} s; ${START}`,
          });
        let info: DockerInfo | undefined;
        try {
          info = JSON.parse(stdout) as DockerInfo;
        } catch {}
        if (error || !info?.ServerVersion) {
          const said =
            [...(info?.ServerErrors ?? []), stderr.trim()].filter(Boolean)[0] ?? String(error?.message);
          return resolve({
            problem: `docker: the daemon is not reachable (${said.split('\n')[0]}); ${START}`,
          });
        }
        resolve({ info });
      },
    );
  });
}

/**
 * Docker comes first: the daemon must answer, and it must have the memory one cluster of the spec
 * needs (clusters are created one at a time, so each is compared on its own).
 */
export async function checkDocker(options: DockerCheckOptions): Promise<DockerCheck> {
  const { needs, env = process.env, docker = 'docker', timeoutMs = 20_000 } = options;
  const { info, problem } = await dockerInfo(docker, env, timeoutMs);
  if (!info) return { problems: [problem ?? 'docker: no answer'], lines: [], needs };
  const memTotalMiB = Math.floor((info.MemTotal ?? 0) / 1024 / 1024);
  const have = formatMiB(memTotalMiB);
  const lines = [`Docker ${info.ServerVersion}: ${info.NCPU ?? '?'} CPUs, ${have} memory`];
  const problems: string[] = [];
  for (const need of needs) {
    const line = `${need.cluster} needs about ${formatMiB(need.totalMiB)} (estimate), Docker has ${have}`;
    lines.push(line);
    if (need.totalMiB > memTotalMiB)
      problems.push(
        `docker: not enough memory: ${line}; give Docker more memory (Docker Desktop: Settings > Resources) or run fewer apps, workers or observability components in the spec`,
      );
  }
  return {
    problems,
    lines,
    serverVersion: info.ServerVersion,
    memTotalMiB,
    cpus: info.NCPU,
    needs,
  };
}
