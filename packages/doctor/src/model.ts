// The shapes every part of the doctor shares: loaded objects, cluster sets, checks and findings.
import type { SchemaValidator } from '@meshproof/schemas';
import type { Document, LineCounter } from 'yaml';

export type Severity = 'error' | 'warning' | 'info';
export type Path = (string | number)[];
export type Json = Record<string, unknown>;

/** One parsed YAML file; the line counter maps offsets of all its documents to line/column. */
export interface SourceFile {
  abs: string;
  /** Path shown in findings: relative to the working directory, forward slashes. */
  rel: string;
  lines: LineCounter;
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
  doc: Document;
}

export interface ParseProblem {
  file: SourceFile;
  offset: number;
  message: string;
}

/** Everything under one `clusters/<name>/` directory (or the whole input when not under clusters/). */
export interface ClusterSet {
  name: string;
  /** Directory Flux paths are relative to: the one containing `clusters/`, else the input dir. */
  sourceRoot: string;
  /**
   * Where Flux paths `./clusters/<name>/...` point: `<sourceRoot>/clusters`, or, for a tree rendered
   * outside a `clusters/` folder (`meshproof render --out DIR`), DIR, the folder holding the set's own
   * `<name>/` folder. Absent when the input shows neither (see `fluxPathDir`).
   */
  clustersDir?: string;
  objects: K8sObject[];
  problems: ParseProblem[];
}

export type Issue =
  | {
      obj: K8sObject;
      /** Field the issue is about; the finding points at the deepest part of it present in the YAML. */
      path?: Path;
      message: string;
    }
  | { file: SourceFile; offset: number; message: string };

export interface CheckContext {
  cluster: ClusterSet;
  /** Present when the schema cache is available; schema checks do nothing without it. */
  validator?: SchemaValidator;
}

export interface Check {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  hint: string;
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
