/**
 * The evidence of a candidate match in words a reviewer can read: one describer for the API's
 * `PossibleMatch.features`, the explorer's matches panel and the log line of a match run. Every
 * feature `findCandidates` records is described here; a feature added to MatchFeatures belongs here too.
 */
import type { Candidate, MatchFeatures } from './match';

export interface FeatureLine {
  label: string;
  value: string;
}

const KIND_WORDING: Record<MatchFeatures['kind'], string> = {
  same: 'same kind',
  compatible: 'kind unknown on one side',
};

/** The features as label/value lines, strongest evidence first. */
export function describeFeatures(f: MatchFeatures): FeatureLine[] {
  const out: FeatureLine[] = [];
  out.push({ label: 'Names', value: `${f.matchedNames[0]} ~ ${f.matchedNames[1]} (similarity ${f.name.toFixed(2)})` });
  out.push({ label: 'Name rarity', value: `${f.nameRarity.toFixed(2)} (0 = a very common name)` });
  if (f.namesInCommon) out.push({ label: 'Names in common', value: `${f.namesInCommon} names written the same way in both lists` });
  if (f.othersWithName) out.push({ label: 'Others with the name', value: `${f.othersWithName} other parties bear the matched name` });
  for (const i of f.identifiers ?? []) out.push({ label: 'Shared identifier', value: i });
  for (const i of f.identifierConflicts ?? []) out.push({ label: 'Conflicting identifier', value: i });
  if (f.birthDate) out.push({ label: 'Birth date', value: `${f.birthDate}${f.birthDates ? `: ${f.birthDates.join(' / ')}` : ''}` });
  if (f.nationality) out.push({ label: 'Nationality', value: `${f.nationality}${f.nationalities ? `: ${f.nationalities.join(' / ')}` : ''}` });
  if (f.differentWords) out.push({ label: 'Different words', value: `"${f.differentWords[0]}" / "${f.differentWords[1]}"` });
  // Screening's features (a typed name against a listed one); cross-list candidates never have them.
  if (f.typos) out.push({ label: 'Typos', value: `${f.typos} ${f.typos === 1 ? 'typo' : 'typos'} between the names` });
  if (f.ignoredWords) out.push({ label: 'Left out', value: f.ignoredWords.map((x) => `"${x}"`).join(', ') });
  if (f.numbers) out.push({ label: 'Numbers', value: f.numbers.join(' / ') });
  if (f.legalForm) out.push({ label: 'Legal form', value: `${f.legalForm}${f.legalForms ? `: ${f.legalForms.join(' / ')}` : ''}` });
  out.push({ label: 'Kind', value: KIND_WORDING[f.kind] ?? f.kind });
  return out;
}

/**
 * The features as stored on POSSIBLY_SAME_AS (JSON), described; an unreadable value (written by a
 * version with other features) describes as nothing rather than failing the whole answer.
 */
export function describeStoredFeatures(json: string): FeatureLine[] {
  try {
    const f = JSON.parse(json) as MatchFeatures;
    if (!f || !Array.isArray(f.matchedNames) || typeof f.name !== 'number' || typeof f.nameRarity !== 'number') return [];
    return describeFeatures(f);
  } catch {
    return [];
  }
}

/** One log line: "a ~ b: score: label value; ...". */
export function describeCandidate(c: Candidate): string {
  const lines = describeFeatures(c.features).map((l) => `${l.label.toLowerCase()} ${l.value}`);
  return `${c.a} ~ ${c.b}: ${c.score.toFixed(3)}: ${lines.join('; ')}`;
}

const signed = (w: number) => `${w >= 0 ? '+' : '-'}${Math.abs(w).toFixed(2)}`;

/** Words for how a birth date given to screening relates to the party's. */
const BIRTH_DATE_WORDING: Record<NonNullable<MatchFeatures['birthDate']>, string> = {
  exact: 'the same date',
  'same-year': 'the same year',
  close: 'a date or two apart (a likely typo)',
  overlap: 'overlapping dates',
  'same-year-other-day': 'the same year, another day',
  'one-year-apart': 'a year apart',
  mismatch: 'different years: this lowers the score',
};

/** How many typos the typed name has against the listed one, for the Name line: ", 1 typo", ", 2 typos". */
function typoWording(f: MatchFeatures): string {
  if (!f.typos) return '';
  return `, ${f.typos} ${f.typos === 1 ? 'typo' : 'typos'}`;
}

/**
 * The evidence of a screening match (match.ts screenCandidate) in words, each line with how much it
 * moved the score (log-odds: + raises, - lowers): the name compared, birth date, country, identifiers
 * shared or in conflict, legal form and kind. `nameGiven`/`kindGiven`: what the caller sent.
 */
export function describeScreening(f: MatchFeatures, given: { name: boolean; kind: boolean }): FeatureLine[] {
  const w = f.weights;
  const out: FeatureLine[] = [];
  if (given.name) {
    const rare = f.nameRarity >= 0.66 ? 'a rare name' : f.nameRarity >= 0.33 ? 'a fairly rare name' : 'a common name';
    const others = f.othersWithName ? `; ${f.othersWithName} other ${f.othersWithName === 1 ? 'party bears' : 'parties bear'} the name` : '';
    out.push({
      label: 'Name',
      value: `${f.matchedNames[0]} ~ ${f.matchedNames[1]}: similarity ${f.name.toFixed(2)}${typoWording(f)}, ${rare} (rarity ${f.nameRarity.toFixed(2)})${others} (${signed(w.name)})`,
    });
    if (f.ignoredWords) {
      const words = f.ignoredWords.map((x) => `"${x}"`).join(', ');
      out.push({ label: 'Left out', value: `${words}: ${f.ignoredWords.length === 1 ? 'a legal form' : 'legal forms'} mistyped, left out as legal forms are` });
    }
    if (f.numbers) out.push({ label: 'Numbers', value: `${f.numbers.join(' given / listed ')}: different numbers name another party (counted in the name)` });
    if (f.differentWords) out.push({ label: 'Different words', value: `"${f.differentWords[0]}" / "${f.differentWords[1]}": likely another person (counted in the name)` });
  } else out.push({ label: 'Name', value: 'not given: the match rests on the identifiers' });
  if (f.birthDate) {
    out.push({ label: 'Birth date', value: `${BIRTH_DATE_WORDING[f.birthDate]}: ${f.birthDates?.join(' given / listed ') ?? ''} (${signed(w.birthDate)})` });
  }
  if (f.nationality) {
    const said = f.nationality === 'match' ? 'the same country' : 'different countries: this lowers the score';
    out.push({ label: 'Country', value: `${said}: ${f.nationalities?.join(' given / listed ') ?? ''} (${signed(w.nationality)})` });
  }
  for (const i of f.identifiers ?? []) out.push({ label: 'Shared identifier', value: i });
  for (const i of f.identifierConflicts ?? []) out.push({ label: 'Conflicting identifier', value: `${i.replace(' / ', ' given / listed ')}: a different number of one kind lowers the score` });
  if (f.identifiers || f.identifierConflicts) out.push({ label: 'Identifiers', value: `weight ${signed(w.identifiers)}` });
  if (f.legalForm) out.push({ label: 'Legal form', value: `different legal forms: ${f.legalForms?.join(' / ') ?? ''} (${signed(w.legalForm)})` });
  if (!given.kind) out.push({ label: 'Kind', value: 'not given: compared as the party\'s kind' });
  else out.push({ label: 'Kind', value: `${KIND_WORDING[f.kind] ?? f.kind}${w.kind ? ` (${signed(w.kind)})` : ''}` });
  return out;
}
