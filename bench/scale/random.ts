/**
 * Deterministic randomness for the scale generator. Every choice is drawn from a generator seeded by
 * a key that names what is being chosen (seed, copy, party, purpose), never from a shared stream: a
 * party's name is then the same whether it is computed while writing the party or while writing a link
 * to it from another copy, and the output does not depend on the order things are computed in.
 */

/** cyrb53: a fast 53-bit string hash (public domain); good spread, not cryptographic (none is needed). */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A small PRNG (mulberry32) seeded from a key. */
export class Rng {
  private state: number;
  constructor(key: string) {
    this.state = hash53(key) >>> 0 || 1;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The generator for one choice: `rng(seed, 'name', copy, index)`. */
export function rng(...parts: (string | number)[]): Rng {
  return new Rng(parts.join('|'));
}
