// Records of loaders made on first read (issue 13): a request builds only the loaders it touches,
// where building every one up front cost 9–13 % of the CPU of a one-field query. A record is an
// object whose prototype holds one getter per name; the first read makes the value and keeps it
// as the object's own property, so later reads are plain property reads.
//
// Priming a loader nobody has made yet keeps the value aside (primeLazy) and hands it over when
// the loader is made: nothing is built for a value no field reads, and a field that does read it
// finds it primed, as it would have with every loader made up front.
import type DataLoader from 'dataloader';

const INPUT = Symbol('what the record makes its values from');
const PENDING = Symbol('values primed before their loader was made');

/** How a record makes each of its values from its input. */
export type Makers<T, I> = { readonly [K in keyof T]: (input: I) => T[K] };

/** The record a set of makers makes: what each one returns. */
export type Made<M> = { [K in keyof M]: M[K] extends (input: never) => infer V ? V : never };

type Primable = Pick<DataLoader<unknown, unknown, unknown>, 'prime'>;
type Lazy<I> = { [INPUT]: I; [PENDING]?: Map<PropertyKey, Map<unknown, unknown>> };

/**
 * Made once per kind of record (at module load): the function that makes a record for an input.
 * Only the values read become own properties: never spread a record (`{ ...loaders }` would copy
 * only what was made so far); make another record whose makers read this one instead.
 */
export function lazyRecord<T extends object, I>(makers: Makers<T, I>): (input: I) => T {
  const prototype = {};
  for (const name of Object.keys(makers) as (keyof T & string)[]) {
    Object.defineProperty(prototype, name, {
      get(this: Lazy<I>) {
        const value = makers[name](this[INPUT]);
        Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
        const pending = this[PENDING]?.get(name);
        if (pending) {
          this[PENDING]!.delete(name);
          for (const [key, primed] of pending) (value as Primable).prime(key, primed);
        }
        return value;
      },
    });
  }
  return (input) => {
    const record = Object.create(prototype) as Lazy<I>;
    record[INPUT] = input;
    return record as unknown as T;
  };
}

/**
 * `record[name].prime(key, value)`, without making the loader if it is not made yet: the value
 * waits for it instead. As DataLoader's prime, a key already there keeps its value.
 */
export function primeLazy<T extends object>(record: T, name: keyof T & string, key: unknown, value: unknown): void {
  const lazy = record as Partial<Lazy<unknown>>;
  if (Object.hasOwn(record, name) || !(INPUT in lazy)) {
    (record[name] as Primable).prime(key, value);
    return;
  }
  lazy[PENDING] ??= new Map();
  let pending = lazy[PENDING].get(name);
  if (!pending) lazy[PENDING].set(name, (pending = new Map()));
  if (!pending.has(key)) pending.set(key, value);
}
