// Opaque state tokens ($skiptoken, $deltatoken, access tokens): random strings mapped to
// server-side state, so clients cannot depend on their content. Bounded so a long demo
// cannot grow memory without limit; the oldest tokens are forgotten first, as expired ones.

import { randomBytes } from "node:crypto";

export class TokenRegistry<T> {
  private readonly map = new Map<string, T>();

  constructor(private readonly capacity = 200_000) {}

  issue(state: T, bytes = 48): string {
    const token = randomBytes(bytes).toString("base64url");
    this.map.set(token, state);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return token;
  }

  get(token: string): T | undefined {
    return this.map.get(token);
  }

  clear(): void {
    this.map.clear();
  }

  values(): IterableIterator<T> {
    return this.map.values();
  }
}
