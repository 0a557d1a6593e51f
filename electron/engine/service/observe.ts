/**
 * Wraps a client so every error it throws (from a promise or while iterating pages) is seen before the caller gets it.
 * The cycle turns an error that ended it into a message; the service still needs to know the error's kind
 * (a rejected credential means exit code 4 and quarantine), so it watches the clients it hands to the cycle.
 */
export function observeErrors<T extends object>(client: T, seen: (error: unknown) => void): T {
  return new Proxy(client, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            seen(error);
            throw error;
          });
        }
        if (isAsyncIterable(result)) return observeIterable(result, seen);
        return result;
      };
    },
  });
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

async function* observeIterable<T>(iterable: AsyncIterable<T>, seen: (error: unknown) => void): AsyncIterable<T> {
  try {
    yield* iterable;
  } catch (error) {
    seen(error);
    throw error;
  }
}
