/**
 * Ownership by sanctioned parties, the way the two rules count it, with the arithmetic shown. Pure (no
 * database): the caller reads the stakes (OWNERSHIP links: owner -> asset, with the source's percentage
 * and dates), the directorships and which parties are listed, and gets a verdict a reviewer can check.
 *
 * OFAC (the "50 Percent Rule", 31 CFR 589.406 / OFAC Revised Guidance of 13 August 2014, FAQ 398-402):
 * property of an entity owned 50% or more, directly or indirectly, individually or in the aggregate,
 * by one or more blocked persons is blocked. "Indirectly" does not multiply down a chain: an entity
 * that is itself blocked by the rule counts as a blocked person, and its own stakes count in full
 * (FAQ 401: X blocked owns 50% of A, A owns 50% of B: B is blocked, although X's economic interest in
 * B is 25%). So the rule is evaluated as a fixed point: an entity is blocked when the stakes held in it
 * by listed or rule-blocked owners add up to 50% or more, repeated until nothing changes. Control
 * (a listed director) is not part of OFAC's rule and is reported apart.
 * EU (Council Best Practices for the effective implementation of restrictive measures, "ownership and
 * control"): ownership is more than 50% of the proprietary rights (strictly above 50), evaluated the
 * same way; control (e.g. a listed person able to appoint or direct management) is a separate test,
 * which we report as indicators (directorships held by listed parties), never as a share.
 *
 * A stake is an interval [low, high] in percent: "51" is [51, 51], "25-50" [25, 50], "more than 25"
 * [25, 100], and a stake the source gives no percentage for is [0, 100]: "share unknown", never
 * assumed. Several statements of one owner's stake in one asset in force at the date (filings that
 * restate it: 50%, 48% and 51% for the same period) are one stake spanning them, not a sum; one of them
 * without a percentage adds nothing to those that give one. The verdict
 * is BLOCKED when the low end reaches the threshold, POSSIBLY when only the high end does (unknown or
 * ranged shares could reach it), and NOT_BLOCKED when even the high end stays below.
 */

export type OwnershipRule = 'OFAC' | 'EU';
export type OwnershipVerdict = 'BLOCKED' | 'POSSIBLY' | 'NOT_BLOCKED';

export interface Stake {
  /** The link's id (for citations). */
  id: string;
  owner: string;
  asset: string;
  /** As the source writes it: "51", "51%", "25-50", "more than 25"; null when it gives none. */
  percentage: string | null;
  /** YYYY, YYYY-MM or YYYY-MM-DD, as the source dates it; null when undated. */
  startDate: string | null;
  endDate: string | null;
  source?: { dataset: string; release: string; record: string };
}

export interface Control {
  id: string;
  controller: string;
  organization: string;
  role: string | null;
  startDate: string | null;
  endDate: string | null;
}

export interface OwnershipParty {
  id: string;
  name: string;
  /** On a sanctions list (not delisted) at the date asked about. */
  listed: boolean;
}

export interface OwnershipInput {
  target: string;
  rule: OwnershipRule;
  /** YYYY-MM-DD: stakes in force on that day count. */
  asOf: string;
  stakes: readonly Stake[];
  controls?: readonly Control[];
  parties: ReadonlyMap<string, OwnershipParty>;
}

export interface Share {
  low: number;
  high: number;
}

/** One owner's stake in one asset in force at the date, from one or more statements. */
export interface HeldStake {
  owner: string;
  ownerName: string;
  asset: string;
  share: Share;
  /** The statements it was read from (their percentages as written, their dates, their links). */
  statements: Stake[];
  /** Why this owner counts: listed, blocked by the rule itself, or (for POSSIBLY) possibly blocked. */
  basis: 'listed' | 'blocked-by-rule' | 'possibly-blocked';
}

export interface EntityFinding {
  id: string;
  name: string;
  verdict: OwnershipVerdict;
  /** The aggregate held by listed and rule-blocked owners: low counts only definite ones. */
  share: Share;
  /** The stakes that make it up, largest first. */
  held: HeldStake[];
}

export interface OwnershipResult {
  target: string;
  rule: OwnershipRule;
  asOf: string;
  /** 50: reached at 50 (OFAC) or only above it (EU). */
  threshold: number;
  strict: boolean;
  /** The target is on a list itself (the verdict is then about its owners only). */
  targetListed: boolean;
  verdict: OwnershipVerdict;
  share: Share;
  /** The target's own finding first, then every owner blocked by the rule that it relies on. */
  findings: EntityFinding[];
  /** Sentences with the arithmetic, in order: each owner blocked by the rule, then the target. */
  arithmetic: string[];
  /** Listed parties that direct or control the target (EU: the control test; OFAC: not counted). */
  control: { controller: string; name: string; role: string | null; link: string }[];
}

/** A percentage as the source writes it, as an interval; null when it says nothing usable. */
export function parseShare(text: string | null): Share | null {
  if (text === null) return null;
  const t = text.replace(/,/g, '.').replace(/%/g, '').trim().toLowerCase();
  const num = (s: string) => Math.min(100, Math.max(0, Number(s)));
  let m = /^(\d+(?:\.\d+)?)$/.exec(t);
  if (m) return { low: num(m[1]), high: num(m[1]) };
  m = /^(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)$/.exec(t);
  if (m) return { low: Math.min(num(m[1]), num(m[2])), high: Math.max(num(m[1]), num(m[2])) };
  // UK PSC bands and similar: "more than 25% but not more than 50%", "more than 75%", "over 50".
  m = /^(?:more than|over|above|>)\s*(\d+(?:\.\d+)?)(?:.*?(?:not more than|up to|<=?)\s*(\d+(?:\.\d+)?))?/.exec(t);
  if (m) return { low: num(m[1]), high: m[2] !== undefined ? num(m[2]) : 100 };
  return null;
}

/** Whether a dated statement is in force on `day` (partial dates cover their whole year or month). */
export function inForce(s: { startDate: string | null; endDate: string | null }, day: string): boolean {
  const first = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
  const last = (d: string) => (d.length === 4 ? `${d}-12-31` : d.length === 7 ? `${d}-31` : d);
  if (s.startDate && first(s.startDate) > day) return false;
  if (s.endDate && last(s.endDate) < day) return false;
  return true;
}

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;
const shareText = (s: Share) => (s.low === s.high ? pct(s.low) : s.low === 0 && s.high === 100 ? 'an unknown share' : `${pct(s.low)} to ${pct(s.high)}`);

export function aggregateOwnership(input: OwnershipInput): OwnershipResult {
  const { target, rule, asOf, parties } = input;
  const threshold = 50;
  const strict = rule === 'EU';
  const reaches = (v: number) => (strict ? v > threshold + 1e-9 : v >= threshold - 1e-9);
  const nameOf = (id: string) => parties.get(id)?.name ?? id;
  const listed = (id: string) => parties.get(id)?.listed === true;

  // Stakes in force, one per owner and asset (several statements of one holding span an interval).
  const byPair = new Map<string, { owner: string; asset: string; statements: Stake[] }>();
  for (const s of input.stakes) {
    if (s.owner === s.asset || !inForce(s, asOf)) continue;
    const key = `${s.owner}\u0000${s.asset}`;
    const entry = byPair.get(key) ?? { owner: s.owner, asset: s.asset, statements: [] };
    entry.statements.push(s);
    byPair.set(key, entry);
  }
  const ownersOf = new Map<string, { owner: string; share: Share; statements: Stake[] }[]>();
  for (const { owner, asset, statements } of byPair.values()) {
    // A statement without a percentage says the holding exists, not its size: it widens nothing when
    // another statement of the same holding gives one (ZALA: Kalashnikov's "subsidiary of" beside its 49%).
    const known = statements.map((s) => parseShare(s.percentage)).filter((x): x is Share => x !== null);
    const shares = known.length > 0 ? known : [{ low: 0, high: 100 }];
    const share = { low: Math.min(...shares.map((x) => x.low)), high: Math.max(...shares.map((x) => x.high)) };
    const list = ownersOf.get(asset) ?? [];
    list.push({ owner, share, statements });
    ownersOf.set(asset, list);
  }

  // Everything that owns the target, directly or through others: the only entities the verdict needs.
  const upstream = new Set<string>([target]);
  for (const queue = [target]; queue.length > 0; ) {
    for (const { owner } of ownersOf.get(queue.pop()!) ?? []) {
      if (!upstream.has(owner)) {
        upstream.add(owner);
        queue.push(owner);
      }
    }
  }

  // The fixed point, from "nobody is blocked by the rule" upwards: the least one, so that a ring of
  // companies owning each other blocks none of them unless a listed party's stakes reach in.
  const definite = new Set<string>();
  const possible = new Set<string>();
  const isDefinite = (id: string) => listed(id) || definite.has(id);
  const isPossible = (id: string) => isDefinite(id) || possible.has(id);
  const sumFor = (asset: string): Share => {
    let low = 0;
    let high = 0;
    for (const o of ownersOf.get(asset) ?? []) {
      if (isDefinite(o.owner)) low += o.share.low;
      if (isPossible(o.owner)) high += o.share.high;
    }
    return { low: Math.min(100, low), high: Math.min(100, high) };
  };
  for (let changed = true; changed; ) {
    changed = false;
    // Listed entities too: the verdict on a listed target is still about who owns it.
    for (const id of upstream) {
      const s = sumFor(id);
      if (!definite.has(id) && reaches(s.low)) {
        definite.add(id);
        changed = true;
      }
      if (!possible.has(id) && reaches(s.high)) {
        possible.add(id);
        changed = true;
      }
    }
  }

  const verdictOf = (id: string): OwnershipVerdict => (definite.has(id) ? 'BLOCKED' : possible.has(id) ? 'POSSIBLY' : 'NOT_BLOCKED');
  const findingOf = (id: string): EntityFinding => {
    const held: HeldStake[] = (ownersOf.get(id) ?? [])
      .filter((o) => isPossible(o.owner))
      .map((o) => ({
        owner: o.owner,
        ownerName: nameOf(o.owner),
        asset: id,
        share: o.share,
        statements: o.statements,
        basis: listed(o.owner) ? ('listed' as const) : definite.has(o.owner) ? ('blocked-by-rule' as const) : ('possibly-blocked' as const),
      }))
      .sort((a, b) => b.share.high - a.share.high || b.share.low - a.share.low || a.owner.localeCompare(b.owner));
    return { id, name: nameOf(id), verdict: verdictOf(id), share: sumFor(id), held };
  };

  // The target's finding, then each rule-blocked owner it relies on (each once, nearest first).
  const findings: EntityFinding[] = [findingOf(target)];
  const explained = new Set([target]);
  for (let i = 0; i < findings.length; i++) {
    for (const h of findings[i].held) {
      if (h.basis !== 'listed' && !explained.has(h.owner)) {
        explained.add(h.owner);
        findings.push(findingOf(h.owner));
      }
    }
  }

  const ruleName = rule === 'OFAC' ? "OFAC's 50 percent rule (50% or more)" : "the EU's ownership test (more than 50%)";
  const sentence = (f: EntityFinding): string => {
    if (f.held.length === 0) return `${f.name}: no listed or blocked owner holds a stake in force on ${asOf}: not blocked under ${ruleName}.`;
    const parts = f.held.map((h) => {
      const why = h.basis === 'listed' ? 'listed' : h.basis === 'blocked-by-rule' ? 'itself blocked by the rule, so its stake counts in full' : 'possibly blocked';
      const statements = h.statements.length > 1 ? `; ${h.statements.length} statements: ${h.statements.map((s) => s.percentage ?? 'no percentage').join(', ')}` : '';
      return `${h.ownerName} (${why}) holds ${shareText(h.share)}${statements}`;
    });
    const lows = f.held.filter((h) => h.basis !== 'possibly-blocked').map((h) => h.share.low);
    const total = lows.length > 1 ? `${lows.map(pct).join(' + ')} = ${pct(f.share.low)}` : pct(f.share.low);
    const cmp = strict ? (reaches(f.share.low) ? '> 50%' : '<= 50%') : reaches(f.share.low) ? '>= 50%' : '< 50%';
    const upTo = f.share.high > f.share.low ? ` (up to ${pct(f.share.high)} if the unknown or ranged shares are at their highest)` : '';
    const verdict = f.verdict === 'BLOCKED' ? 'blocked' : f.verdict === 'POSSIBLY' ? 'possibly blocked: the known shares do not reach the threshold, the unknown ones could' : 'not blocked';
    return `${f.name}: ${parts.join('; ')}. Known: ${total} ${cmp}${upTo}: ${verdict} under ${ruleName}.`;
  };
  const arithmetic = [...findings.slice(1).reverse().map(sentence), sentence(findings[0])];

  const control = (input.controls ?? [])
    .filter((c) => c.organization === target && listed(c.controller) && inForce(c, asOf))
    .map((c) => ({ controller: c.controller, name: nameOf(c.controller), role: c.role, link: c.id }));
  if (control.length > 0) {
    arithmetic.push(
      rule === 'EU'
        ? `Control (a separate EU test, not a share): ${control.map((c) => `${c.name}${c.role ? ` (${c.role})` : ''}`).join('; ')}.`
        : `Listed parties direct it (${control.map((c) => c.name).join('; ')}): not counted by OFAC's 50 percent rule, which is about ownership only.`,
    );
  }

  return { target, rule, asOf, threshold, strict, targetListed: listed(target), verdict: verdictOf(target), share: findings[0].share, findings, arithmetic, control };
}
