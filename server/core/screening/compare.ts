/**
 * The caller's identifiers as screening compares them with a candidate (server/api/screen.ts): each as
 * the Identifier node it found on that party, where it found one, so a number typed without its type
 * meets the party's passport; the caller's country stays on it, so the matcher (sameIdentifier) still
 * compares countries: a Russian passport A1234567 is not the Iranian passport A1234567.
 */
import type { MatchIdentifier } from '../matching/match';
import { isIdentifierType, type PartyKind } from '../model';
import type { ScreenIdentifier } from './input';

/** An Identifier node a lookup found on the candidate: its stored type, value and country. */
export interface FoundIdentifier {
  type: string;
  value: string;
  country: string | null;
}

export function comparedIdentifier(x: ScreenIdentifier, found: FoundIdentifier | undefined): MatchIdentifier {
  if (found && isIdentifierType(found.type)) return { type: found.type, value: found.value, country: x.country ?? found.country };
  // An untyped number that found nothing is no evidence against any document.
  return { type: x.typeGiven ? x.type : x.type === 'passport' || x.type === 'nationalId' ? 'other' : x.type, value: x.value, country: x.country };
}

/**
 * The countries a candidate is compared by: its nationalities; an organisation (or company) that states
 * none, by its addresses' countries (where it is registered or works), each once and sorted: the order a
 * read returns addresses in is no fact of the party, and screening reads them two ways (the name index's
 * rows, or the entity) that must describe a match alike. A person's address is no nationality: a person
 * who states none is compared by no country.
 */
export function comparedCountries(kind: PartyKind, nationalities: readonly string[], addressCountries: readonly string[]): string[] {
  if (nationalities.length > 0) return [...nationalities];
  return kind === 'Organization' || kind === 'Company' ? [...new Set(addressCountries.filter((c) => c !== ''))].sort() : [];
}

/**
 * A candidate's identifiers as the matcher compares them: those of a type it knows, each once (an
 * identifier stated under two labels is one), sorted by type, value and country. Sorted for the same
 * reason as the address countries above, and because the order counts: the matcher weighs a shared
 * number by the first of the candidate's identifiers that agrees with it.
 */
export function comparedIdentifiers(found: Iterable<FoundIdentifier>): MatchIdentifier[] {
  const byKey = new Map<string, MatchIdentifier>();
  for (const { type, value, country } of found) {
    if (isIdentifierType(type)) byKey.set(`${type}\u0000${value}\u0000${country ?? ''}`, { type, value, country: country ?? null });
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}
