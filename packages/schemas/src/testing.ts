// Shared by the tests of every package: where the upstream mirror is, or why tests needing it skip.
import { findMirror, findRepoRoot, MIRROR_ENV } from './mirror.ts';

export const repoRoot = findRepoRoot(import.meta.dirname);
export const testMirror = findMirror(repoRoot);
export const NO_MIRROR = testMirror
  ? false
  : `no upstream mirror: set ${MIRROR_ENV} or place it at ../shared/upstream next to the repository`;
