// Map an object path (keys and indexes) to a line and column in the YAML it came from.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { K8sObject, Path } from './model.ts';

/** Offset of the deepest node along `path` that exists (the key of a map entry, the item of a list). */
export function offsetOf(obj: K8sObject, path: Path = []): number {
  let node = obj.doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const key of [...obj.docPath, ...path]) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

export function position(obj: K8sObject, path?: Path): { line: number; col: number } {
  return obj.file.lines.linePos(offsetOf(obj, path));
}
