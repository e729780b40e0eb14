// The checkout as it is, as one Git commit in a bare repository the source server serves: tracked
// changes, uncommitted edits and untracked files that are not ignored, exactly what `git add -A`
// would stage. Nothing of the user's repository changes: git works on a copy of the index
// (GIT_INDEX_FILE) and writes new objects into the bare repository (GIT_OBJECT_DIRECTORY), reading
// the user's objects through an alternates file that is removed once they are copied over.
import { copyFile, cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { hostExec, output } from './exec.ts';

/** Commits are made by this identity, so a machine without user.name/user.email works. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'meshproof e2e',
  GIT_AUTHOR_EMAIL: 'e2e@meshproof.invalid',
  GIT_COMMITTER_NAME: 'meshproof e2e',
  GIT_COMMITTER_EMAIL: 'e2e@meshproof.invalid',
};

/** Inherited variables that would point git at another repository, index or object store. */
const CLEAN = {
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
  GIT_ALTERNATE_OBJECT_DIRECTORIES: undefined,
  GIT_COMMON_DIR: undefined,
};

/** The runners' own output folders (e2e and bench) never go into the snapshot, even where .gitignore misses them. */
export const RUN_FOLDERS = ['.e2e', '.bench'] as const;

export interface Snapshot {
  /** The commit now at refs/heads/<branch> of the bare repository. */
  revision: string;
  tree: string;
  branch: string;
  /** The checkout's HEAD the snapshot started from; null in a repository without commits. */
  base: string | null;
  /** Absolute path of the bare repository. */
  repo: string;
}

type Env = NodeJS.ProcessEnv;

function git(cwd: string, env: Env = {}, signal?: AbortSignal) {
  const exec = hostExec({ cwd, env: { ...CLEAN, ...env }, ...(signal ? { signal } : {}) });
  return (args: string[], input?: string, raw = false) => output(exec, ['git', ...args], input, raw);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * A new bare repository whose files are readable by everyone: the server runs as another user
 * (65532) and reads it from a read-only mount. --shared=0644 makes git keep that mode whatever the
 * umask, for objects, packs and refs written later.
 */
async function initBare(repo: string, branch: string, signal?: AbortSignal): Promise<void> {
  if (await exists(repo))
    throw new Error(`${repo} already exists: the snapshot never writes into an existing folder`);
  await mkdir(dirname(repo), { recursive: true });
  await git(
    dirname(repo),
    {},
    signal,
  )(['init', '--quiet', '--bare', '--shared=0644', `--initial-branch=${branch}`, repo]);
}

/**
 * Commits the checkout at `checkout` (any folder inside a Git work tree) into a new bare repository
 * at `repo`, on `branch`, as a root commit (the served repository holds no history, only this tree).
 * On failure `repo` is removed.
 */
export async function snapshotCheckout(opts: {
  checkout: string;
  repo: string;
  branch: string;
  signal?: AbortSignal;
}): Promise<Snapshot> {
  const { branch, signal } = opts;
  const repo = resolve(opts.repo);
  const inCheckout = git(resolve(opts.checkout), {}, signal);
  const top = await inCheckout(['rev-parse', '--show-toplevel']).catch(() => {
    throw new Error(
      `${opts.checkout} is not inside a Git work tree: the e2e source is a commit of the checkout`,
    );
  });
  const [objects, index] = (
    await inCheckout(['rev-parse', '--path-format=absolute', '--git-path', 'objects', '--git-path', 'index'])
  ).split('\n') as [string, string];
  const base =
    (await inCheckout(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '')) || null;

  await initBare(repo, branch, signal);
  const scratch = await mkdtemp(join(tmpdir(), 'meshproof-snapshot-'));
  const alternates = join(repo, 'objects', 'info', 'alternates');
  try {
    await writeFile(alternates, `${objects}\n`);
    const tempIndex = join(scratch, 'index');
    const inTop = git(
      top,
      { GIT_INDEX_FILE: tempIndex, GIT_OBJECT_DIRECTORY: join(repo, 'objects'), ...IDENTITY },
      signal,
    );
    // Starting from a copy of the user's index keeps its stat data, so only changed files are hashed.
    if (await exists(index)) await copyFile(index, tempIndex);
    else await inTop(['read-tree', '--empty']);
    // The run folders stay out of the snapshot. `git add` fails (exit 1, "paths are ignored") when an
    // exclude pathspec names a path .gitignore already ignores, so one is passed only where needed.
    const excludes: string[] = [];
    for (const folder of RUN_FOLDERS) {
      const ignored = await inTop(['check-ignore', '-q', folder]).then(
        () => true,
        () => false,
      );
      if (!ignored) excludes.push(`:(top,exclude)${folder}`);
    }
    // No fsmonitor daemon, no automatic gc: nothing may start or change in the user's repository.
    await inTop(['-c', 'core.fsmonitor=false', '-c', 'gc.auto=0', 'add', '--all', '--', '.', ...excludes]);
    const tree = await inTop(['write-tree']);
    const message = `meshproof e2e snapshot of ${base ?? 'a repository without commits'} with the working tree as it is\n`;
    const revision = await inTop(['commit-tree', '--no-gpg-sign', tree], message);

    const bare = git(repo, {}, signal);
    await bare(['update-ref', `refs/heads/${branch}`, revision]);
    // Copy every object the commit needs from the user's store, then cut the link to it.
    await bare(['-c', 'gc.auto=0', 'repack', '-a', '-d', '-q']);
    await rm(alternates);
    await bare(['rev-list', '--objects', '--quiet', revision]).catch((err: Error) => {
      throw new Error(`the snapshot in ${repo} is incomplete after copying objects: ${err.message}`);
    });
    return { revision, tree, branch, base, repo };
  } catch (err) {
    await rm(repo, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The same snapshot commit in another new bare repository (another cluster's), on `branch`. */
export async function copySnapshot(snapshot: Snapshot, repo: string, branch: string): Promise<Snapshot> {
  const target = resolve(repo);
  if (await exists(target))
    throw new Error(`${target} already exists: the snapshot never writes into an existing folder`);
  try {
    await cp(snapshot.repo, target, { recursive: true, errorOnExist: true, force: false });
    if (branch !== snapshot.branch) {
      const bare = git(target);
      await bare(['update-ref', `refs/heads/${branch}`, snapshot.revision]);
      await bare(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
      await bare(['update-ref', '-d', `refs/heads/${snapshot.branch}`]);
    }
    return { ...snapshot, repo: target, branch };
  } catch (err) {
    await rm(target, { recursive: true, force: true });
    throw err;
  }
}

/** A path inside the repository, as git stores it: relative, forward slashes, no `.` or `..` parts. */
function checkPath(path: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new Error(`publishChange: "${path}" is not a relative path inside the repository (a/b/c.yaml)`);
  return path;
}

/**
 * A new commit on top of `branch` in the served bare repository that sets each given file to its
 * content (null deletes it), e.g. a new pod template for a canary rollout. Returns the new revision;
 * Flux reports it as the GitRepository's artifact revision once it has fetched it.
 */
export async function publishChange(opts: {
  repo: string;
  branch: string;
  files: Readonly<Record<string, string | null>>;
  message: string;
  signal?: AbortSignal;
}): Promise<string> {
  const repo = resolve(opts.repo);
  const entries = Object.entries(opts.files).map(([path, content]) => [checkPath(path), content] as const);
  if (entries.length === 0) throw new Error('publishChange: no files given');
  const scratch = await mkdtemp(join(tmpdir(), 'meshproof-publish-'));
  try {
    const bare = git(repo, { GIT_INDEX_FILE: join(scratch, 'index'), ...IDENTITY }, opts.signal);
    const ref = `refs/heads/${opts.branch}`;
    const parent = await bare(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
      throw new Error(`publishChange: ${repo} has no branch ${opts.branch}; publish a snapshot first`);
    });
    await bare(['read-tree', parent]);
    // One `update-index --index-info` line per file (a bare repository has no work tree to stage
    // from): "<mode> <blob>\t<path>", and mode 0 to remove the path.
    const lines: string[] = [];
    for (const [path, content] of entries) {
      if (content === null) {
        lines.push(`0 ${'0'.repeat(parent.length)}\t${path}`);
        continue;
      }
      // An existing file keeps its mode (an executable stays executable).
      const mode = (await bare(['ls-tree', parent, '--', path])).split(' ')[0] || '100644';
      const blob = await bare(['hash-object', '-w', '--stdin'], content);
      lines.push(`${mode} ${blob}\t${path}`);
    }
    await bare(['update-index', '--index-info'], `${lines.join('\n')}\n`);
    const tree = await bare(['write-tree']);
    if (tree === (await bare(['rev-parse', `${parent}^{tree}`])))
      throw new Error(
        `publishChange: the files already have this content on ${opts.branch}; nothing to roll out`,
      );
    const revision = await bare(['commit-tree', '--no-gpg-sign', '-p', parent, tree], `${opts.message}\n`);
    // Compare-and-swap: fails if the branch moved since `parent` was read.
    await bare(['update-ref', ref, revision, parent]);
    return revision;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A file as the source server serves it now on `branch`: what a change starts from. */
export async function readPublished(opts: { repo: string; branch: string; path: string }): Promise<string> {
  return git(resolve(opts.repo))(
    ['show', `refs/heads/${opts.branch}:${checkPath(opts.path)}`],
    undefined,
    true,
  );
}
