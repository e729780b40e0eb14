// The renderer's object model: plain Kubernetes objects (typed at construction with @kubernetes-models
// interfaces) grouped into files, files grouped into one tree per cluster.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any Kubernetes object; builders type their literals with the precise model interface. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
}

/** Labels and annotations a mesh adds to a namespace or pod template. */
export interface Metadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export const emptyMetadata = (): Metadata => ({ labels: {}, annotations: {} });

/** Relative path (posix, inside clusters/<cluster>/) → file content. */
export type FileTree = Map<string, string>;
