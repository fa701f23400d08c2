// PROPERTIES MADE WHEN FIRST READ
//
// `withLazy(target, { name: make, … })` adds each name to `target` as an enumerable property whose
// value is make() the first time it is read, and the same value after (or what is assigned to it).
// Every object gets the same getter and setter for a name, its makers kept aside: V8 then gives
// objects built alike one shared shape with fast properties. (An object literal with a getter, or
// one given a getter of its own, becomes a dictionary, slow to read every property of, and the
// engine reads column objects in its loops.)

interface Lazy {
  readonly makers: Readonly<Record<string, () => unknown>>;
  readonly values: Map<string, unknown>;
}

const lazyOf = new WeakMap<object, Lazy>();
const accessors = new Map<string, PropertyDescriptor>();

function accessor(name: string): PropertyDescriptor {
  let descriptor = accessors.get(name);
  if (!descriptor) {
    descriptor = {
      enumerable: true,
      configurable: true,
      get(this: object): unknown {
        const lazy = lazyOf.get(this)!;
        if (!lazy.values.has(name)) lazy.values.set(name, lazy.makers[name]!());
        return lazy.values.get(name);
      },
      set(this: object, value: unknown): void {
        lazyOf.get(this)!.values.set(name, value);
      },
    };
    accessors.set(name, descriptor);
  }
  return descriptor;
}

export function withLazy<T extends object, L extends object>(target: T, makers: { readonly [K in keyof L]: () => L[K] }): T & L {
  lazyOf.set(target, { makers: makers as Record<string, () => unknown>, values: new Map() });
  for (const name of Object.keys(makers)) Object.defineProperty(target, name, accessor(name));
  return target as T & L;
}
