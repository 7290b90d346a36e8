// A cache of full tiles (which never change once full), bounded without the cost of
// exact LRU bookkeeping on every hit: two generations. Hits in the old generation are
// promoted; when the young one fills, the old one is dropped and the young one ages.
// What is used at least once per generation stays.

export class TileCache {
  private young = new Map<number, Uint8Array>();
  private old = new Map<number, Uint8Array>();
  private readonly half: number;

  constructor(capacity: number) {
    this.half = Math.max(1, Math.floor(capacity / 2));
  }

  get(id: number): Uint8Array | undefined {
    const tile = this.young.get(id);
    if (tile) return tile;
    const aged = this.old.get(id);
    if (aged) this.set(id, aged);
    return aged;
  }

  set(id: number, tile: Uint8Array): void {
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, tile);
  }
}
