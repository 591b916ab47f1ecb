/**
 * A fixed number of places for work that spans a request's hooks rather than one function call (an
 * upload being received): `take` says whether a place was free and holds it, `release` frees it.
 */
export interface Slots {
  take(): boolean;
  release(): void;
  /** Places held now. */
  readonly used: number;
}

export function createSlots(size: number): Slots {
  let used = 0;
  return {
    take() {
      if (used >= size) return false;
      used++;
      return true;
    },
    release() {
      used = Math.max(0, used - 1);
    },
    get used() {
      return used;
    },
  };
}
