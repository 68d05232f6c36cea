/**
 * The FtM parse as it was before it streamed (commit 6cca5b2, ingest/sources/ftm.ts and ftm-map.ts):
 * every entity read into one Map, fragments merged and deltas applied there, then mapped in memory.
 * Kept only as the oracle of test/unit/ftm-stream.test.ts, which checks that the bounded-memory parse
 * (ingest/sources/ftm-join.ts) gives exactly what this gave: the same records in the same order, the
 * same rejected rows and warnings, the same errors. The value helpers (toEntity, merge, toParty,
 * addressOf, orphan) and the steps that did not change (which file is what, dataset and release) are
 * shared with the parser; what changed (reading and mapping) is this file's own copy of the old code.
 */
import type { AddressFact, AddressRecord, IdentifierFact, LinkRecord, ParsedRelease, PartyRecord, Provenance, Rejection } from '../server/core/model';
import { isIdentifierType } from '../server/core/model';
import { addressRecord, identifierRecord, nameKey, normaliseIdentifierValue } from '../server/core/text/normalize';
import { readerOptions, type ParseOptions } from '../ingest/parse-options';
import { isObject, readJsonLines } from '../ingest/jsonl';
import { SourceFormatError } from '../server/core/errors';
import { addressOf, all, At, countryName, first, FtmEntity, merge, orphan, toEntity, toParty, unique, where } from '../ingest/sources/ftm-map';
import { commonSchema, DELTA_OPS, DeltaOp, FTM_DOCUMENTS, FTM_GENERIC_ID, FTM_LINKS, FTM_PARTY_KINDS, ftmIdentifierProps } from '../ingest/sources/ftm.meta';
import { ftmDataFiles, isDeltaOp, nameRelease } from '../ingest/sources/ftm';

export type Mapped = Pick<ParsedRelease, 'parties' | 'addresses' | 'identifiers' | 'links' | 'rejected' | 'warnings'>;

export function mapEntities(entities: FtmEntity[], ctx: { dataset: string; release: string; mode: 'snapshot' | 'delta' }): Mapped {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const prov = (e: FtmEntity): Provenance => ({ dataset: ctx.dataset, release: ctx.release, record: `${where(e.at)} (${e.id})` });
  const rejected: Rejection[] = [];
  const reject = (e: FtmEntity, reason: string) => rejected.push({ file: e.at.file, line: e.at.line, reason });
  const warnings: string[] = [];
  const unknownCountries = new Set<string>();
  const country = (code: string | null) => countryName(code, unknownCountries);
  const countries = (codes: string[]) => unique(codes.map((c) => country(c)!));

  // Parties first: everything else attaches to them.
  const parties = new Map<string, PartyRecord>();
  const sources = new Map<string, FtmEntity>();
  for (const e of entities) {
    const kind = FTM_PARTY_KINDS[e.schema];
    if (!kind) continue;
    const party = toParty(e, kind, prov(e), country, countries);
    if (typeof party === 'string') reject(e, party);
    else {
      parties.set(e.id, party);
      sources.set(e.id, e);
    }
  }

  const identifiers: IdentifierFact[] = [];
  const idKeys = new Set<string>();
  const addIdentifier = (fact: IdentifierFact) => {
    const k = `${fact.partyId}|${fact.identifier.key}`;
    if (idKeys.has(k)) return;
    idKeys.add(k);
    identifiers.push(fact);
  };
  // Each holder's document numbers whatever their type, to recognise a copy in the generic idNumber.
  const documentValues = new Map<string, Set<string>>();
  const anyValue = (v: string) => normaliseIdentifierValue('other', v);
  const links: LinkRecord[] = [];
  const unmapped = new Map<string, number>();
  let linksFromElsewhere = 0;
  let linksToElsewhere = 0;
  const listedDates = new Map<string, string>();

  for (const e of entities) {
    if (FTM_PARTY_KINDS[e.schema] || e.schema === 'Address') continue;
    const spec = FTM_LINKS[e.schema];
    const doc = FTM_DOCUMENTS[e.schema];
    if (spec) {
      const froms = all(e, spec.from);
      const tos = all(e, spec.to);
      if (!froms.length || !tos.length) {
        reject(e, `${e.schema} ${e.id} has no ${!froms.length ? spec.from : spec.to} (the FtM schema requires both ends); no link`);
        continue;
      }
      const wording = spec.wording.map((w) => first(e, w)).find((w): w is string => w !== null) ?? null;
      const label = spec.schemaInLabel ? (wording ? `${e.schema}: ${wording}` : e.schema) : (wording ?? e.schema);
      for (const from of froms) {
        for (const to of tos) {
          const other = [from, to].map((id) => byId.get(id)).find((x) => x && !FTM_PARTY_KINDS[x.schema]);
          if (other) {
            reject(e, `${e.schema} ${e.id}: ${other.id} is a ${other.schema}, which the model has no party kind for; no link`);
            continue;
          }
          if (!parties.has(from)) linksFromElsewhere++;
          if (!parties.has(to)) linksToElsewhere++;
          links.push({
            type: spec.type,
            from,
            // A target not in these files is kept: the loader makes it a placeholder until it is loaded.
            to: { id: to },
            label,
            percentage: e.schema === 'Ownership' ? first(e, 'percentage') : null,
            startDate: first(e, 'startDate'),
            endDate: first(e, 'endDate'),
            sourceId: e.id,
            provenance: prov(e),
          });
        }
      }
    } else if (e.schema === 'Sanction') {
      // Sanction.yaml: entity (required) is the sanctioned Thing; program is the regime's wording,
      // programId OpenSanctions' code for it (the same code across publishers), used when given.
      const targets = all(e, 'entity');
      if (!targets.length) reject(e, `Sanction ${e.id} names no entity (the FtM schema requires one)`);
      const programs = all(e, 'programId').length ? all(e, 'programId') : all(e, 'program');
      const listed = first(e, 'listingDate') ?? first(e, 'startDate');
      for (const t of targets) {
        const party = parties.get(t);
        if (!party) {
          reject(e, orphan(e, t, byId.get(t), 'its program is not recorded', ctx.mode));
          continue;
        }
        party.programs = unique([...party.programs, ...programs]);
        if (listed && (!listedDates.has(t) || listed < listedDates.get(t)!)) listedDates.set(t, listed);
      }
    } else if (doc) {
      const numbers = unique(doc.number.flatMap((p) => all(e, p)));
      const stated = e.schema === 'Identification' ? first(e, 'type') : null;
      const docType = stated && isIdentifierType(stated) ? stated : doc.type;
      const holders = all(e, doc.holder);
      if (!holders.length) reject(e, `${e.schema} ${e.id} names no ${doc.holder}; nothing to record`);
      else if (!numbers.length) reject(e, `${e.schema} ${e.id} of ${holders.join(', ')} has no number; nothing to record`);
      // A wallet's chain is its `currency` ("ETH"): worded as OFAC labels it, which identifierRecord reads
      // for the wallet's normalisation (walletChain; an EVM address written without its 0x).
      const currency = e.schema === 'CryptoWallet' ? first(e, 'currency') : undefined;
      const walletLabel = currency ? `Digital Currency Address - ${currency.trim().toUpperCase()}` : null;
      for (const h of numbers.length ? holders : []) {
        if (!parties.has(h)) {
          reject(e, orphan(e, h, byId.get(h), 'its number is not recorded', ctx.mode));
          continue;
        }
        for (const n of numbers) {
          const values = documentValues.get(h) ?? new Set<string>();
          documentValues.set(h, values.add(anyValue(n)));
          addIdentifier({
            partyId: h,
            identifier: identifierRecord(docType, n, country(first(e, 'country')), walletLabel ?? e.schema),
            label: e.schema,
            issued: first(e, 'startDate') ?? first(e, 'issueDate'),
            expires: first(e, 'endDate') ?? first(e, 'expiryDate'),
            provenance: prov(e),
          });
        }
      }
    } else {
      unmapped.set(e.schema, (unmapped.get(e.schema) ?? 0) + 1);
    }
  }
  for (const [id, date] of listedDates) parties.get(id)!.listedOn = date;

  // Facts the parties state themselves: identifiers and addresses.
  const addresses: AddressFact[] = [];
  const usedAddresses = new Set<string>();
  let unresolvedAddresses = 0;
  let partiesWithoutAddress = 0;
  for (const [id, party] of parties) {
    const e = sources.get(id)!;
    const specs = ftmIdentifierProps(party.kind);
    const own: IdentifierFact[] = [];
    for (const [prop, spec] of Object.entries(specs)) {
      for (const raw of all(e, prop)) {
        for (const value of spec.split ? raw.split(/\s*;\s*/) : [raw]) {
          if (!value.trim()) continue;
          own.push({
            partyId: id,
            identifier: identifierRecord(spec.type, value, spec.country ? country(spec.country) : null, prop),
            label: prop,
            issued: null,
            expires: null,
            provenance: party.provenance,
          });
        }
      }
    }
    // OpenSanctions copies a Russian INN into taxNumber too: one identifier, with its country, not two.
    const withCountry = new Set(own.filter((f) => f.identifier.country).map((f) => `${f.identifier.type}|${normaliseIdentifierValue(f.identifier.type, f.identifier.value)}`));
    // A number in the generic idNumber that a document of the holder (Identification, Passport) gives
    // with its type and country is that document, not a second identifier (this project's FtM export
    // writes both, so that the party's line alone still shows its numbers).
    const documented = documentValues.get(id);
    for (const f of own) {
      if (!f.identifier.country && withCountry.has(`${f.identifier.type}|${normaliseIdentifierValue(f.identifier.type, f.identifier.value)}`)) continue;
      if (f.label === FTM_GENERIC_ID && documented?.has(anyValue(f.identifier.value))) continue;
      addIdentifier(f);
    }

    // Address entities (addressEntity) first; the `address` strings repeat their full text (OpenSanctions
    // copies it there), so a string already given by an entity is not a second address.
    const keys = new Set<string>();
    const texts = new Set<string>();
    const add = (address: AddressRecord, provenance: Provenance) => {
      if (keys.has(address.key)) return;
      keys.add(address.key);
      addresses.push({ partyId: id, address, provenance });
    };
    let unresolved = 0;
    for (const ref of all(e, 'addressEntity')) {
      const a = byId.get(ref);
      if (!a || a.schema !== 'Address') {
        unresolved++;
        continue;
      }
      usedAddresses.add(ref);
      const rec = addressOf(a, unknownCountries);
      if (!rec) continue;
      for (const f of all(a, 'full')) texts.add(nameKey(f));
      add(rec, prov(a));
    }
    for (const text of all(e, 'address')) {
      if (texts.has(nameKey(text))) continue;
      texts.add(nameKey(text));
      add(addressRecord(text, null, null), party.provenance);
    }
    unresolvedAddresses += unresolved;
    if (unresolved && all(e, 'address').length === 0) partiesWithoutAddress++;
  }

  // What was read but not loaded, in one sentence each.
  if (unresolvedAddresses) {
    warnings.push(
      `${unresolvedAddresses} addressEntity references point to Address entities not in these files` +
        (partiesWithoutAddress
          ? `; ${partiesWithoutAddress} of the parties holding them have no address text either, so their address is missing`
          : "; the parties' address texts, which repeat them, were loaded instead"),
    );
  }
  const unusedAddresses = entities.filter((e) => e.schema === 'Address' && !usedAddresses.has(e.id));
  if (unusedAddresses.length) {
    warnings.push(
      `${unusedAddresses.length} Address entities are not the address of any party in these files and were not loaded` +
        `${ctx.mode === 'delta' ? ' (a delta cannot change the address of a party it does not restate)' : ''}: ` +
        unusedAddresses.slice(0, 5).map((a) => `${where(a.at)} (${a.id})`).join(', ') + (unusedAddresses.length > 5 ? ', ...' : ''),
    );
  }
  if (unmapped.size) {
    warnings.push(
      `entities of schemata the model has no place for were not loaded: ${[...unmapped].map(([s, n]) => `${s} ${n}`).join(', ')}`,
    );
  }
  if (linksFromElsewhere) {
    warnings.push(`${linksFromElsewhere} links start at a party that is not in these files: they load only if that party is already in the graph`);
  }
  if (linksToElsewhere) warnings.push(`${linksToElsewhere} links point to a party that is not in these files: it becomes a placeholder until loaded`);
  if (unknownCountries.size) warnings.push(`unknown country codes, kept as written: ${[...unknownCountries].sort().join(', ')}`);

  return { parties: [...parties.values()], addresses, identifiers, links, rejected, warnings };
}

/** The whole-file parse of commit 6cca5b2 (parseFtm then): what the streaming parse must give. */
export async function parseFtmWhole(files: string[], opts: ParseOptions): Promise<ParsedRelease> {
  const { data, indexes, mode } = await ftmDataFiles(files, opts);

  const warnings: string[] = [];
  const rejected: Rejection[] = [];
  const entities = new Map<string, FtmEntity>();
  const deleted = new Map<string, At>();
  const ops: Record<DeltaOp, number> = { ADD: 0, MOD: 0, DEL: 0 };
  let merged = 0;
  for (const d of data) {
    for await (const { line, values } of readJsonLines(d.file, warnings, readerOptions(opts))) {
      const at: At = { file: d.name, line };
      const reject = (reason: string) => rejected.push({ file: d.name, line, reason });
      for (const v of values) {
        if (d.kind === 'entities') {
          if (isDeltaOp(v)) {
            reject('a delta operation inside a snapshot file; ignored');
            continue;
          }
          const e = toEntity(v, at);
          if (typeof e === 'string') {
            reject(e);
            continue;
          }
          const prev = entities.get(e.id);
          if (!prev) {
            entities.set(e.id, e);
            continue;
          }
          // FtM: fragments of one id are one entity; their schemata must share a line of descent.
          const schema = commonSchema(prev.schema, e.schema);
          if (!schema) {
            reject(`entity ${e.id}: schema ${e.schema} conflicts with ${prev.schema} of the same id at ${where(prev.at)}; this fragment is ignored`);
            continue;
          }
          merge(prev, e, schema);
          merged++;
        } else {
          const op = isObject(v) ? v.op : undefined;
          if (!isObject(v) || typeof op !== 'string' || !isObject(v.entity)) {
            reject('is not a delta operation ({"op": "ADD" | "MOD" | "DEL", "entity": {...}}); ignored');
            continue;
          }
          if (!(DELTA_OPS as readonly string[]).includes(op)) {
            reject(`unknown delta operation ${JSON.stringify(op)} (expected ADD, MOD or DEL); ignored`);
            continue;
          }
          ops[op as DeltaOp]++;
          if (op === 'DEL') {
            const id = typeof v.entity.id === 'string' ? v.entity.id.trim() : '';
            if (!id) {
              reject('DEL operation without an entity id; ignored');
              continue;
            }
            entities.delete(id);
            deleted.set(id, at);
            continue;
          }
          const e = toEntity(v.entity, at);
          if (typeof e === 'string') {
            reject(`${op}: ${e}`);
            continue;
          }
          // ADD and MOD carry the whole entity as it now is: it replaces, never merges with, what an
          // earlier operation of the set said.
          entities.set(e.id, e);
          deleted.delete(e.id);
        }
      }
    }
  }
  if (mode === 'snapshot' && entities.size === 0) {
    throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no entities: an empty list is refused (it would delist everything)');
  }
  if (mode === 'delta' && ops.ADD + ops.MOD + ops.DEL === 0) {
    throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no delta operations');
  }
  if (merged) warnings.push(`${merged} lines were further fragments of an entity already read and were merged into it (FtM semantics)`);

  // 3. Dataset and release.
  const datasetCounts = new Map<string, number>();
  for (const e of entities.values()) for (const ds of e.datasets) datasetCounts.set(ds, (datasetCounts.get(ds) ?? 0) + 1);
  const lastSeen = [...entities.values()].map((e) => e.lastSeen ?? '').sort().at(-1) ?? '';
  const named = nameRelease({ data, indexes, mode, ops, datasetCounts, lastSeen, opts });
  warnings.push(...named.warnings);
  const { dataset, release } = named;

  // 4. Map the entities to parties, facts and links.
  const mapped = mapEntities([...entities.values()], { dataset, release, mode });
  warnings.push(...mapped.warnings);
  rejected.push(...mapped.rejected);
  if (mode === 'snapshot' && mapped.parties.length === 0) {
    throw new SourceFormatError(data.map((d) => d.name).join(', '), undefined, 'holds no parties (Person, Company, Organization, LegalEntity, PublicBody, Vessel or Airplane entities)');
  }
  return {
    dataset,
    release,
    idPrefix: 'opensanctions',
    parties: mapped.parties,
    addresses: mapped.addresses,
    identifiers: mapped.identifiers,
    links: mapped.links,
    rejected,
    warnings,
    mode,
    removedIds: mode === 'delta' ? [...deleted.keys()] : undefined,
    files: [...indexes.map((i) => i.name), ...data.map((d) => d.name)],
  };
}
