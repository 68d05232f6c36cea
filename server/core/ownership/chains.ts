/**
 * The chains behind an ownership verdict (aggregate.ts), one per way a listed party's stake reaches the
 * company: listed owner -> (owners blocked by the rule) -> company, each link a stake in force that
 * the verdict counts (or, for POSSIBLY, could count). Each chain says its arithmetic: the stakes along
 * it, their product (the listed party's economic interest: 80% x 30% = 24%), and how the rule counts it
 * (under OFAC's rule an owner blocked by the rule counts in full, so the chain adds the last stake, not
 * the product). A stake the source gives no percentage for is "share unknown": the chain has no share.
 */
import type { HeldStake, OwnershipResult, Share } from './aggregate';

export interface OwnershipChainLink {
  owner: string;
  ownerName: string;
  asset: string;
  share: Share;
  /** The link read (the first statement of the holding), for drawing it. */
  link: string;
  /** The holding's statements have no usable percentage at all. */
  unknown: boolean;
}

export interface OwnershipChain {
  /** From the listed party to the company. */
  links: OwnershipChainLink[];
  /** The product of the stakes (the listed party's economic interest), when every stake is exact. */
  economicShare: number | null;
  /** What the chain adds to the company's total under the rule: its last stake, when exact and definite. */
  counted: Share;
  /** The listed party at the top is listed itself; false for a possibly-blocked owner (a ranged share upstream). */
  definite: boolean;
  arithmetic: string;
}

const pct = (n: number) => `${Math.round(n * 100) / 100}%`;
const shareText = (s: Share, unknown: boolean) => (unknown ? 'a share unknown (the source gives no percentage)' : s.low === s.high ? pct(s.low) : `${pct(s.low)} to ${pct(s.high)}`);

/** Every chain of `result`, listed parties first reached by the biggest stakes, at most `max` (and whether more were left out). */
export function ownershipChains(result: OwnershipResult, max: number): { chains: OwnershipChain[]; truncated: boolean } {
  const findings = new Map(result.findings.map((f) => [f.id, f]));
  const asLink = (h: HeldStake): OwnershipChainLink => ({
    owner: h.owner,
    ownerName: h.ownerName,
    asset: h.asset,
    share: h.share,
    link: h.statements[0].id,
    unknown: h.statements.every((s) => s.percentage === null || !/\d/.test(s.percentage)),
  });
  const chains: OwnershipChain[] = [];
  let truncated = false;
  // Depth first from the company up; `below` is the chain from the asset being read down to the company.
  const walk = (asset: string, below: OwnershipChainLink[], on: Set<string>): void => {
    for (const h of findings.get(asset)?.held ?? []) {
      if (on.has(h.owner)) continue; // a ring: each chain passes a party once
      const links = [asLink(h), ...below];
      if (h.basis === 'listed') {
        if (chains.length >= max) {
          truncated = true;
          return;
        }
        chains.push(describe(result, links));
      } else walk(h.owner, links, new Set(on).add(h.owner));
    }
  };
  walk(result.target, [], new Set([result.target]));
  return { chains, truncated };
}

function describe(result: OwnershipResult, links: OwnershipChainLink[]): OwnershipChain {
  const byId = new Map(result.findings.map((f) => [f.id, f]));
  const exact = links.every((l) => !l.unknown && l.share.low === l.share.high);
  const economicShare = exact ? links.reduce((p, l) => (p * l.share.low) / 100, 100) : null;
  const last = links[links.length - 1];
  const intermediates = links.slice(1).map((l) => l.owner);
  const definite = intermediates.every((id) => byId.get(id)?.verdict === 'BLOCKED');
  const counted = last.unknown ? { low: 0, high: last.share.high } : definite ? last.share : { low: 0, high: last.share.high };
  const name = (id: string) => byId.get(id)?.name ?? links.find((l) => l.owner === id)?.ownerName ?? id;
  const steps = links.map((l, i) => `${i === 0 ? `${l.ownerName} (listed)` : l.ownerName} holds ${shareText(l.share, l.unknown)} of ${name(l.asset)}`);
  const parts = [steps.join('; ')];
  if (links.length > 1) {
    parts.push(
      economicShare !== null
        ? `economic interest ${links.map((l) => pct(l.share.low)).join(' x ')} = ${pct(economicShare)}`
        : 'economic interest not computable (a share along the chain is unknown or a range)',
    );
    const ruleName = result.rule === 'OFAC' ? "OFAC's rule" : "the EU's test";
    const blocked = intermediates.filter((id) => byId.get(id)?.verdict === 'BLOCKED').map(name);
    const possibly = intermediates.filter((id) => byId.get(id)?.verdict !== 'BLOCKED').map(name);
    if (blocked.length) parts.push(`under ${ruleName} ${blocked.join(' and ')} ${blocked.length > 1 ? 'are' : 'is'} itself blocked, so the stake held in ${name(last.asset)} counts in full: ${shareText(last.share, last.unknown)}`);
    if (possibly.length) parts.push(`${possibly.join(' and ')} ${possibly.length > 1 ? 'are' : 'is'} only possibly blocked (unknown or ranged shares), so the chain may count, and is not in the known total`);
  } else if (last.unknown) {
    parts.push('share unknown: not counted in the known total, never assumed');
  }
  return { links, economicShare, counted, definite, arithmetic: `${parts.join('; ')}.` };
}
