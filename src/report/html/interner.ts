/**
 * Values numbered in order of first appearance, each once: the report's string table and the packed
 * answer table's boxes, reference lists and dataset rows. `key` says when two values are the same.
 */
export class Interner<T> {
  readonly list: T[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly key: (v: T) => string) {}
  id(v: T): number {
    const k = this.key(v);
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(v);
      this.index.set(k, i);
    }
    return i;
  }
}

/** An Interner of strings, keyed by the string itself. */
export function stringTable(): Interner<string> {
  return new Interner<string>((s) => s);
}
