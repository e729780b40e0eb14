// The host facts every result records (the machine the clusters or the local floor ran on).
import { cpus, type as osType, release, totalmem, version } from 'node:os';
import type { Environment } from './layout.ts';

export function hostEnvironment(versions: Record<string, string> = {}, notes: string[] = []): Environment {
  const cpu = cpus();
  return {
    recordedAt: new Date().toISOString(),
    host: {
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      cpus: cpu.length,
      memoryGiB: totalmem() / 2 ** 30,
      kernel: release(),
      os: `${osType()} ${version()}`,
    },
    versions: { node: process.version, ...versions },
    notes,
  };
}
