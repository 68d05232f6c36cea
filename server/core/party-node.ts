/**
 * How a party is stored in Neo4j, written once: `toNode` gives the node properties the loader writes
 * for a parsed party, `fromNode` reads a stored node back into the model's PartyRecord. The loader
 * (ingest/loader.ts), the entity view and matching's input all go through this pair, so a field is
 * flattened and restored in one place.
 *
 * Neo4j properties hold strings, numbers, booleans and homogeneous lists, never maps or lists with nulls:
 * aliases become three parallel lists (aliasNames, aliasTypes, aliasQualities, where "" stands for the
 * quality the source does not say), vessel details flat `vessel*` properties (a non-vessel has them all
 * null). Two properties are derived for search and resolution, not read back: `nameKey` (the primary
 * name's key) and `latinNames` (Latin forms of names in other scripts, for the full-text index).
 *
 * Properties the load query itself maintains (datasets, formerDatasets, delistedOn, firstSeen, loadedAt)
 * are not the parser's and are not part of PartyRecord.
 */
import { ALIAS_TYPES, isPartyKind, type Alias, type AliasQuality, type AliasType, type PartyRecord, type Provenance } from './model';
import { nameKey } from './text/normalize';
import { latinForm } from './text/names';

/**
 * The node properties of a party, as written by the loader (`SET p += props`): the record's own fields
 * as they are, aliases and vessel details flattened, provenance spread, and the derived search keys.
 */
export type PartyNode = Omit<PartyRecord, 'aliases' | 'vessel' | 'provenance' | 'listedOn'> &
  Provenance & {
    nameKey: string;
    aliasNames: string[];
    latinNames: string[];
    aliasTypes: string[];
    aliasQualities: string[];
    listedOn: string | null;
    vesselCallSign: string | null;
    vesselType: string | null;
    vesselTonnage: string | null;
    vesselGrossTonnage: string | null;
    vesselFlag: string | null;
    vesselOwner: string | null;
  };

export function toNode(p: PartyRecord): PartyNode {
  const names = [p.name, ...p.aliases.map((a) => a.name)];
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    nameKey: nameKey(p.name),
    aliasNames: p.aliases.map((a) => a.name),
    latinNames: [...new Set(names.map(latinForm).filter((x): x is string => x !== null))],
    aliasTypes: p.aliases.map((a) => a.type),
    aliasQualities: p.aliases.map((a) => a.quality ?? ''),
    programs: p.programs,
    birthDates: p.birthDates,
    birthPlaces: p.birthPlaces,
    nationalities: p.nationalities,
    citizenships: p.citizenships,
    gender: p.gender,
    titles: p.titles,
    remarks: p.remarks,
    listedOn: p.listedOn ?? null,
    vesselCallSign: p.vessel?.callSign ?? null,
    vesselType: p.vessel?.type ?? null,
    vesselTonnage: p.vessel?.tonnage ?? null,
    vesselGrossTonnage: p.vessel?.grossTonnage ?? null,
    vesselFlag: p.vessel?.flag ?? null,
    vesselOwner: p.vessel?.owner ?? null,
    dataset: p.provenance.dataset,
    release: p.provenance.release,
    record: p.provenance.record,
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const VESSEL_FIELDS = ['callSign', 'type', 'tonnage', 'grossTonnage', 'flag', 'owner'] as const;

/**
 * A stored party node's properties as the model's PartyRecord. Tolerant of what older loads and
 * placeholders lack (a placeholder has a kind, a name and provenance only): a missing list is empty,
 * a missing value null, an alias type the model does not know "a.k.a.".
 */
export function fromNode(node: PartyNode | Readonly<Record<string, unknown>>): PartyRecord {
  const props = node as Readonly<Record<string, unknown>>;
  const names = strs(props.aliasNames);
  const types = strs(props.aliasTypes);
  const qualities = strs(props.aliasQualities);
  const aliases: Alias[] = names.map((name, i) => ({
    name,
    type: ((ALIAS_TYPES as readonly string[]).includes(types[i]) ? types[i] : 'a.k.a.') as AliasType,
    quality: (qualities[i] === 'strong' || qualities[i] === 'weak' ? qualities[i] : null) as AliasQuality,
  }));
  const vesselOf = (f: (typeof VESSEL_FIELDS)[number]) => str(props[`vessel${f.charAt(0).toUpperCase()}${f.slice(1)}`]);
  const vessel = Object.fromEntries(VESSEL_FIELDS.map((f) => [f, vesselOf(f)])) as NonNullable<PartyRecord['vessel']>;
  const kind = str(props.kind) ?? '';
  return {
    id: str(props.id) ?? '',
    kind: isPartyKind(kind) ? kind : 'LegalEntity',
    name: str(props.name) ?? '',
    aliases,
    programs: strs(props.programs),
    birthDates: strs(props.birthDates),
    birthPlaces: strs(props.birthPlaces),
    nationalities: strs(props.nationalities),
    citizenships: strs(props.citizenships),
    gender: str(props.gender),
    titles: strs(props.titles),
    remarks: str(props.remarks),
    listedOn: str(props.listedOn),
    // The loader writes vessel details for vessels only; any of them present means there were some.
    vessel: kind === 'Vessel' || VESSEL_FIELDS.some((f) => vessel[f] !== null) ? vessel : null,
    provenance: { dataset: str(props.dataset) ?? '', release: str(props.release) ?? '', record: str(props.record) ?? '' },
  };
}
