// Map an object path (keys and indexes) to a line and column in the YAML it came from.
import { type Document, isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import type { DocRef, K8sObject, Path } from './model.ts';

// Keeping every document's syntax tree for the whole run costs many times the input's size; only the
// objects with findings need one, so it is rebuilt from the file text when asked for. The engine asks
// object by object, so the last tree is all that is kept.
let last: { ref: DocRef; tree: Document } | undefined;

function treeOf(obj: K8sObject): Document {
  if (last?.ref !== obj.doc)
    last = { ref: obj.doc, tree: parseDocument(obj.file.text.slice(obj.doc.start, obj.doc.end)) };
  return last.tree;
}

/** Offset of the deepest node along `path` that exists (the key of a map entry, the item of a list). */
export function offsetOf(obj: K8sObject, path: Path = []): number {
  let node = treeOf(obj).contents as Node | null;
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
  return obj.doc.start + offset;
}

export function position(obj: K8sObject, path?: Path): { line: number; col: number } {
  return obj.file.lines.linePos(offsetOf(obj, path));
}
