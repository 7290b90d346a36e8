// Entries become durable in batches, and their promises may settle in any order;
// state must change in log order all the same, so that a rebuild from the record
// (which reads in log order) reaches exactly the state the live server had.

export class Sequencer {
  private next: number;
  private readonly waiting = new Map<number, () => void>();

  constructor(start: number) {
    this.next = start;
  }

  /** Runs `apply` once every entry before `index` has been applied. */
  at(index: number, apply: () => void): void {
    this.waiting.set(index, apply);
    for (let f = this.waiting.get(this.next); f !== undefined; f = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next++;
      f();
    }
  }
}
