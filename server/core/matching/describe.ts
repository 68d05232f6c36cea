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
