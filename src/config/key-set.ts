/** Membership in a list of keys: all the rules ask of an address, domain or prefix list. */
export interface KeySet {
  has(key: string): boolean;
  readonly size: number;
}

// Under this many keys a Set costs too little (well under a millisecond) to be worth another shape.
export const SORTED_LIST_MINIMUM = 1024;

/**
 * Keys in strictly increasing order (of UTF-16 code units, the order of `sort()`), searched in
 * place. Making a Set of 100,000 keys is about 40 % of loading a rules document that size; a
 * binary search of at most 17 steps costs a few hundred nanoseconds a lookup.
 */
class SortedKeys implements KeySet {
  constructor(private readonly keys: readonly string[]) {}

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    let low = 0;
    let high = this.keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const probe = this.keys[middle] ?? '';
      if (probe === key) return true;
      if (probe < key) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}

/**
 * Collects a list's keys and makes the KeySet that suits them: a long list whose keys came in
 * increasing order (as `npm run build -- --rules` writes a document's lists) is searched in place;
 * any other list becomes a Set.
 */
export class KeySetBuilder {
  private readonly keys: string[] = [];
  private inOrder = true;

  add(key: string): void {
    const last = this.keys[this.keys.length - 1];
    if (last !== undefined && !(last < key)) this.inOrder = false;
    this.keys.push(key);
  }

  get isEmpty(): boolean {
    return this.keys.length === 0;
  }

  build(): KeySet {
    return this.inOrder && this.keys.length >= SORTED_LIST_MINIMUM ? new SortedKeys(this.keys) : new Set(this.keys);
  }
}
