/**
 * Search (Query.search): names ranked by the in-memory name index (core/search: rarity-weighted, typo
 * tolerant, any word order, legal forms ignored, Korean and Chinese readings), with filters and cursor
 * pagination; each hit's party is read through the request's loader, one query per page
 * (SearchHit.entity). Until the index sees what the request's snapshot sees (before its first build, and
 * while it is rebuilt after a load commits), the full-text path answers: candidates from Neo4j's name
 * index, re-ranked by names.ts similarity, bounded to at most LIMITS.searchWords query words, split once,
 * against each candidate's primary name and at most LIMITS.searchAliases of its aliases.
 */
import neo4j from 'neo4j-driver';
import { BadInputError, ServiceUnavailableError } from '../core/errors';
import { PARTY_KIND_NAMES } from '../core/model';
import { Database } from '../core/neo4j/database';
import { searchIndexFor } from '../core/search/live';
import { querySlots } from '../core/search/query';
import { latinTokens, luceneQuery, meaningfulTokens, tokenSimilarityOf } from '../core/text/names';
import { entityLoader } from './entity';
import type { NameLookup, Resolvers, SearchHit } from './generated/graphql';
import { requestDb } from './request';
import { intIn, LIMITS, shortList } from './validate';

export interface SearchArgs {
  query: string;
  kinds?: readonly string[] | null;
  datasets?: readonly string[] | null;
  programs?: readonly string[] | null;
  countries?: readonly string[] | null;
  first?: number | null;
  after?: string | null;
}

/** A hit as ranked here: the party's id instead of the party, which SearchHit.entity reads. */
export type SearchHitRow = Omit<SearchHit, 'entity' | '__typename'> & { id: string };

export interface SearchResult {
  total: number;
  hits: SearchHitRow[];
  endCursor: string | null;
  hasMore: boolean;
  nameLookup: NameLookup;
}

function decodeCursor(after: string | null | undefined): number {
  if (!after) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m) throw new BadInputError('after is not a cursor from this API: pass a previous page\'s endCursor');
  return Number(m[1]);
}

export async function search(db: Database, args: SearchArgs): Promise<SearchResult> {
  const text = args.query.trim();
  if (text === '') throw new BadInputError('query must not be empty');
  if (text.length > LIMITS.queryLength) throw new BadInputError(`query must be at most ${LIMITS.queryLength} characters`);
  const first = intIn('first', args.first ?? 20, 1, LIMITS.searchFirst);
  const offset = decodeCursor(args.after);
  const kinds = shortList('kinds', args.kinds);
  const unknownKinds = kinds?.filter((k) => !(PARTY_KIND_NAMES as string[]).includes(k)) ?? [];
  if (unknownKinds.length) throw new BadInputError(`unknown kind ${unknownKinds.join(', ')}; known: ${PARTY_KIND_NAMES.join(', ')}`);
  const words = meaningfulTokens(text);
  // A Hangul syllable or Han character is a word of its own to the index (querySlots), though a run of
  // them is one token here: counted as the index looks them up, so a long run cannot cost more.
  const slots = querySlots(text);
  const distinct = Math.max(new Set(words).size, slots.length);
  if (distinct > LIMITS.searchWords) {
    throw new BadInputError(`query has ${distinct} different words; at most ${LIMITS.searchWords} are searched (legal forms such as LLC not counted, each Hangul syllable or Han character counted): shorten it to the name you look for`);
  }
  const lucene = luceneQuery(text);
  const filtered = Boolean(args.kinds?.length || args.datasets?.length || args.programs?.length || args.countries?.length);
  if (!lucene) throw new BadInputError('query has no letters or digits to search for');
  const filters = {
    kinds,
    datasets: shortList('datasets', args.datasets),
    programs: shortList('programs', args.programs),
    countries: shortList('countries', args.countries)?.map((c) => c.toLowerCase()) ?? null,
  };
  // Filters apply to the candidates, so a filtered search looks at many more of them: the matches of a
  // rare program must not be crowded out by better-scoring names outside it.
  const candidates = filtered ? LIMITS.searchCandidatesFiltered : LIMITS.searchCandidates;
  // The in-memory index when it sees what this request sees (core/search/live.ts), else the full-text path.
  const index = await searchIndexFor(db, await db.snapshot());
  const fromIndex = index?.search(text, filters, candidates, slots);
  if (index && fromIndex) return page(fromIndex, offset, first, 'NAME_INDEX');
  const asWritten = latinTokens(text).join(' ');
  const writtenAsQuery = (name: string) => latinTokens(name).join(' ') === asWritten;
  const rows = await db.read<{ id: string; name: string; aliases: string[]; score: number }>('api-search-candidates', {
    lucene,
    candidates: neo4j.int(candidates),
    ...filters,
  });
  // The query is split into words once; each candidate's names once each (at most LIMITS.searchAliases
  // aliases besides its primary name), so the work per search is bounded whatever the query.
  const ranked = rows
    .map((r) => {
      let best = { score: tokenSimilarityOf(words, meaningfulTokens(r.name)), name: r.name };
      for (const a of r.aliases.slice(0, LIMITS.searchAliases)) {
        const s = tokenSimilarityOf(words, meaningfulTokens(a));
        // On a tie, the name written as the query was wins (ALIS LLC over LIMITED LIABILITY COMPANY ALIS).
        if (s > best.score || (s === best.score && writtenAsQuery(a) && !writtenAsQuery(best.name))) best = { score: s, name: a };
      }
      return { id: r.id, score: Math.round(best.score * 1000) / 1000, matchedName: best.name, index: r.score };
    })
    .sort((a, b) => b.score - a.score || b.index - a.index || a.id.localeCompare(b.id));
  return page(ranked, offset, first, 'FULL_TEXT');
}

/** One page of ranked hits, with the cursor of the next. */
function page(ranked: readonly SearchHitRow[], offset: number, first: number, nameLookup: NameLookup): SearchResult {
  const hits = ranked.slice(offset, offset + first);
  const hasMore = offset + first < ranked.length;
  return {
    total: ranked.length,
    // Scores to three decimals (the index's are not rounded; only the page's hits need it).
    hits: hits.map(({ id, score, matchedName }) => ({ id, score: Math.round(score * 1000) / 1000, matchedName })),
    endCursor: hasMore ? Buffer.from(`offset:${offset + first}`).toString('base64url') : null,
    hasMore,
    nameLookup,
  };
}

export const searchResolvers: Resolvers = {
  Query: {
    search: (_parent, args, ctx) => search(requestDb(ctx), args),
  },
  SearchHit: {
    entity: async (hit, _args, ctx) => {
      const entity = await entityLoader(ctx).load(hit.id);
      // A hit whose party vanished between the search and this read (a load committed meanwhile).
      if (!entity) throw new ServiceUnavailableError('The data changed during this request; retry it');
      return entity;
    },
  },
};
