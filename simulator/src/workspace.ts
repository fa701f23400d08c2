// TYPED ARRAYS KEPT FROM ONE TRIAL TO THE NEXT
//
// A thread that runs trials one after another draws a population's worth of typed arrays per
// trial (several MB for 10,000 members). A Workspace hands them out by name and keeps them, grown
// when a draw needs more, so the next trial writes into memory that is already mapped and warm
// instead of allocating and leaving the old arrays to the garbage collector. Everything a draw
// into a workspace returns aliases it: it is valid until the next draw into the same workspace.
// Without a workspace (undefined), every array is new, as usual.

export type ArrayType = Int32Array | Uint8Array | Uint16Array | Float64Array;
export type ArrayClass<T extends ArrayType> = { new (length: number): T; readonly name: string };

export class Workspace {
  private readonly arrays = new Map<string, ArrayType>();
  private readonly lists = new Map<string, readonly string[]>();

  /** The list kept for `name` when it has `length` elements, else make()'s, kept from then on. Lists from here are read-only. */
  list(name: string, length: number, make: () => readonly string[]): readonly string[] {
    let kept = this.lists.get(name);
    if (kept?.length !== length) this.lists.set(name, (kept = make()));
    return kept;
  }

  /**
   * An array of `length` elements for `name`, all zero when `zeroed` (else holding whatever the
   * last trial left: only for arrays the caller writes in full before reading).
   */
  take<T extends ArrayType>(name: string, type: ArrayClass<T>, length: number, zeroed: boolean): T {
    let kept = this.arrays.get(name) as T | undefined;
    if (kept !== undefined && !(kept instanceof type)) throw new Error(`workspace array ${name} was taken as ${kept.constructor.name}, now as ${type.name}`);
    if (kept === undefined || kept.length < length) {
      // a little room to spare, so a slightly larger next trial does not reallocate
      kept = new type(Math.ceil(length * 1.125) + 64);
      this.arrays.set(name, kept);
      return kept.subarray(0, length) as T;
    }
    const out = kept.subarray(0, length) as T;
    if (zeroed) out.fill(0);
    return out;
  }

  /** Replaces `name` with a larger array holding the old one's contents (for arrays that grow as they fill). */
  grow<T extends ArrayType>(name: string, old: T, type: ArrayClass<T>, length: number): T {
    const bigger = new type(length);
    bigger.set(old);
    this.arrays.set(name, bigger);
    return bigger;
  }
}

/** A new array, or the workspace's (see Workspace.take). */
export function arrayOf<T extends ArrayType>(workspace: Workspace | undefined, name: string, type: ArrayClass<T>, length: number, zeroed = true): T {
  return workspace ? workspace.take(name, type, length, zeroed) : new type(length);
}

/** A new array of `length` holding `old`'s contents, kept as the workspace's `name` when there is one (see Workspace.grow). */
export function grownArray<T extends ArrayType>(workspace: Workspace | undefined, name: string, old: T, type: ArrayClass<T>, length: number): T {
  if (workspace) return workspace.grow(name, old, type, length);
  const bigger = new type(length);
  bigger.set(old);
  return bigger;
}
