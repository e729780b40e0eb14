// The shapes every part of the doctor shares: loaded objects, cluster sets, checks and findings.
import type { SchemaValidator } from '@meshproof/schemas';
import type { LineCounter } from 'yaml';

export type Severity = 'error' | 'warning' | 'info';
export type Path = (string | number)[];
export type Json = Record<string, unknown>;

/** One parsed YAML file; the line counter maps offsets of all its documents to line/column. */
export interface SourceFile {
  abs: string;
  /** Path shown in findings: relative to the working directory, forward slashes. */
  rel: string;
  lines: LineCounter;
  /** The file's text: documents are re-parsed from it only when a finding needs a position. */
  text: string;
}

/** Where one YAML document lies in its file; its syntax tree is rebuilt on demand (see locate.ts). */
export interface DocRef {
  start: number;
  end: number;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace, `default` for namespaced kinds without one, '' for cluster-scoped kinds. */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  body: Json;
  file: SourceFile;
  doc: DocRef;
  /** Where the object sits in its YAML document: [] for a whole document, ['items', i] inside a List. */
  docPath: Path;
}

export interface ParseProblem {
  file: SourceFile;
  offset: number;
  message: string;
}

/** Everything under one `clusters/<name>/` directory (or the whole input when not under clusters/). */
export interface ClusterSet {
  name: string;
  /**
   * Directory Flux paths are relative to: the one containing `clusters/`; for loose files, the root of
   * the git repository holding them (in none, the input dir, where paths are only guessed).
   */
  sourceRoot: string;
  /**
   * Set for loose files (in no `clusters/<name>/` folder nor rendered tree): the root of the git
   * repository holding them, or null when they are in none.
   */
  repository?: string | null;
  /**
   * Where Flux paths `./clusters/<name>/...` point: `<sourceRoot>/clusters`, or, for a tree rendered
   * outside a `clusters/` folder (`meshproof render --out DIR`), DIR, the folder holding the set's own
   * `<name>/` folder. Absent when the input shows neither (see `fluxPathDir`).
   */
  clustersDir?: string;
  objects: K8sObject[];
  problems: ParseProblem[];
  /**
   * What the doctor knows about the set being whole: `complete` for a `clusters/<name>/` folder given as
   * a unit (or any input under `--complete`), `partial` for part of such a folder, `files` for files
   * placed in no cluster. A reference to an object missing from a set that is not complete may point
   * at something that exists elsewhere, so it is not reported as an error.
   */
  scope: Scope;
}

export type Scope = 'complete' | 'partial' | 'files';

/** Pod Security level the checked tree runs at; SEC005 (restricted) is skipped below `restricted`. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export type Issue =
  | {
      obj: K8sObject;
      /** Field the issue is about; the finding points at the deepest part of it present in the YAML. */
      path?: Path;
      message: string;
      /**
       * The issue rests on an object not being among the checked files (a missing ServiceAccount,
       * Service, source, or no workload a selector matches): an error only in a complete set.
       */
      absent?: boolean;
      /**
       * The objects it rests on belong to a part of the cluster the files do not define (a namespace
       * such as kube-system whose pods some installer creates): at most a warning, even in a complete set.
       */
      outside?: boolean;
    }
  | { file: SourceFile; offset: number; message: string };

export interface CheckContext {
  cluster: ClusterSet;
  /** Present when the schema cache is available; schema checks do nothing without it. */
  validator?: SchemaValidator;
  /** Default Pod Security level; a Namespace's pod-security.kubernetes.io/enforce label overrides it. */
  podSecurity: PodSecurityLevel;
}

export interface Check {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  hint: string;
  /**
   * Set on checks that enforce meshproof's own stance (restricted Pod Security, default deny, probes,
   * resources, no token automount) rather than a problem the API server, Flux or the mesh would act on.
   */
  opinion?: boolean;
  run(ctx: CheckContext): Issue[] | Promise<Issue[]>;
}

export interface Finding {
  id: string;
  severity: Severity;
  message: string;
  hint: string;
  file: string;
  line: number;
  col: number;
  /** `Kind namespace/name` of the object, when the finding is about one. */
  object?: string;
}
