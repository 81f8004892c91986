/**
 * A value worked out once per key and remembered. The keys come from the site (date formats in
 * templates, URLs, category names), so the memory forgets everything once it holds `limit` of
 * them rather than grow without end.
 */
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(
    private readonly limit: number,
    private readonly make: (key: string) => V,
  ) {}

  get(key: string): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.make(key);
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
