/**
 * Where each publisher puts its current release, kept as data beside the downloader (fetch.ts), as
 * OpenSanctions keeps a crawler's metadata beside its parser. `npm run ingest -- --fetch list` prints
 * this table with the URLs in force (settings may point a publisher at a mirror).
 *
 * Publishers and where their download locations are documented:
 *
 * - OFAC, Sanctions List Service (SLS). Every data file is published under one base,
 *   https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ , named as OFAC names the
 *   files (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV, SDN_ENHANCED.XML, SDN_ADVANCED.XML, SDN.XML and the
 *   Consolidated list's CONS_PRIM.CSV, CONS_ADD.CSV, CONS_ALT.CSV, CONS_COMMENTS.CSV, CONS_ENHANCED.XML,
 *   CONS_ADVANCED.XML, CONSOLIDATED.XML). The base is documented in OFAC's recent action of 2024-05-07,
 *   "Change to namespace in SDN.XML, CONSOLIDATED.XML, SDN_ADVANCED.XML, and CONS_ADVANCED.XML files"
 *   (https://ofac.treasury.gov/recent-actions/20240507_44: the files' XSDs are at exports/XML.xsd and
 *   exports/ADVANCED_XML.xsd), and the files name it themselves: the ENHANCED_XML namespace is
 *   .../exports/ENHANCED_XML (see ../shared/data/sanctions/ofac-cons-enhanced-xml-2025-01-10). File list
 *   and formats: https://ofac.treasury.gov/sanctions-list-service and OFAC FAQ topic 1641
 *   (https://ofac.treasury.gov/faqs/topic/1641). The legacy CSV and classic XML files carry the same
 *   data as the ENHANCED and ADVANCED XML (OFAC, "Frequently Asked Questions on Advanced Sanctions List
 *   Standard").
 * - UN Security Council, Consolidated List: https://scsanctions.un.org/resources/xml/en/consolidated.xml
 *   (the English XML edition linked from https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list;
 *   schema https://www.un.org/sc/resources/sc-sanctions.xsd, named inside the file).
 * - OpenSanctions bulk data: https://data.opensanctions.org/datasets/latest/<dataset>/<format>, e.g.
 *   .../latest/us_ofac_sdn/entities.ftm.json ("Downloading the data and keeping it fresh",
 *   https://www.opensanctions.org/docs/bulk/updates ; formats: https://www.opensanctions.org/docs/bulk/json).
 *   Licence CC BY-NC 4.0: commercial use needs a data licence from OpenSanctions.
 */

export type PublisherKey = 'ofac' | 'un' | 'opensanctions';

export interface Publisher {
  key: PublisherKey;
  name: string;
  /** The publisher's download base; a source's files are relative to it. Ends with '/'. */
  baseUrl: string;
  /** The setting that points this publisher somewhere else (a mirror, a test server). */
  urlSetting: string;
  /**
   * Time zone in which the publisher dates its releases: an HTTP Last-Modified time (always GMT) is
   * turned into a release date here, so that a list published at 9 pm in Washington is not dated the
   * next day.
   */
  timeZone: string;
  documentation: string;
}

export const PUBLISHERS: Record<PublisherKey, Publisher> = {
  ofac: {
    key: 'ofac',
    name: 'U.S. Treasury, OFAC Sanctions List Service',
    baseUrl: 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/',
    urlSetting: 'FETCH_OFAC_URL',
    timeZone: 'America/New_York',
    documentation: 'https://ofac.treasury.gov/recent-actions/20240507_44',
  },
  un: {
    key: 'un',
    name: 'UN Security Council Consolidated List',
    baseUrl: 'https://scsanctions.un.org/resources/xml/en/',
    urlSetting: 'FETCH_UN_URL',
    timeZone: 'America/New_York',
    documentation: 'https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list',
  },
  opensanctions: {
    key: 'opensanctions',
    name: 'OpenSanctions bulk data (CC BY-NC 4.0)',
    baseUrl: 'https://data.opensanctions.org/datasets/latest/',
    urlSetting: 'FETCH_OPENSANCTIONS_URL',
    timeZone: 'UTC',
    documentation: 'https://www.opensanctions.org/docs/bulk/updates',
  },
};

export interface FetchSourceDef {
  /** The name given to --fetch. */
  name: string;
  publisher: PublisherKey;
  description: string;
  /** The FORMATS entry the files must be detected as (a guard against, e.g., an HTML error page). */
  format: string;
  /** Paths relative to the publisher's base URL, in download order; the last segment names the local file. */
  files: string[];
  /**
   * Whether the files carry their publication date inside (parsers then read it). When they do not,
   * the downloader supplies one: see releaseForDownload in fetch.ts.
   */
  dateInside: boolean;
}

const ofac = (name: string, description: string, format: string, files: string[], dateInside: boolean): FetchSourceDef => ({
  name,
  publisher: 'ofac',
  description,
  format,
  files,
  dateInside,
});

/** Every source with a fixed name; `opensanctions:<dataset>` is built by openSanctionsSource. */
export const FETCH_SOURCES: readonly FetchSourceDef[] = [
  // Legacy CSV: four files, the primary one first (the others only add to its entries). No date inside.
  ofac('ofac-sdn-csv', 'OFAC SDN list, legacy CSV (primary, addresses, aliases, remarks overflow)', 'ofac-csv', ['SDN.CSV', 'ADD.CSV', 'ALT.CSV', 'SDN_COMMENTS.CSV'], false),
  ofac('ofac-sdn-enhanced', 'OFAC SDN list, ENHANCED_XML (typed relationships)', 'ofac-enhanced-xml', ['SDN_ENHANCED.XML'], true),
  ofac('ofac-sdn-advanced', 'OFAC SDN list, ADVANCED XML (UN sanctions data model)', 'ofac-advanced-xml', ['SDN_ADVANCED.XML'], true),
  ofac('ofac-sdn-xml', 'OFAC SDN list, classic XML (sdnList)', 'ofac-classic-xml', ['SDN.XML'], true),
  ofac('ofac-cons-csv', 'OFAC Consolidated (non-SDN) list, legacy CSV', 'ofac-csv', ['CONS_PRIM.CSV', 'CONS_ADD.CSV', 'CONS_ALT.CSV', 'CONS_COMMENTS.CSV'], false),
  ofac('ofac-cons-enhanced', 'OFAC Consolidated (non-SDN) list, ENHANCED_XML', 'ofac-enhanced-xml', ['CONS_ENHANCED.XML'], true),
  ofac('ofac-cons-advanced', 'OFAC Consolidated (non-SDN) list, ADVANCED XML', 'ofac-advanced-xml', ['CONS_ADVANCED.XML'], true),
  ofac('ofac-cons-xml', 'OFAC Consolidated (non-SDN) list, classic XML (sdnList)', 'ofac-classic-xml', ['CONSOLIDATED.XML'], true),
  {
    name: 'un',
    publisher: 'un',
    description: 'UN Security Council Consolidated List, XML (dateGenerated inside)',
    format: 'un-xml',
    files: ['consolidated.xml'],
    dateInside: true,
  },
];

export const OPENSANCTIONS_PREFIX = 'opensanctions:';

/** OpenSanctions dataset names: lower-case letters, digits and underscores (us_ofac_sdn, eu_fsf, default). */
export const OPENSANCTIONS_DATASET = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/**
 * `opensanctions:<dataset>`: the dataset's FtM entities export. A snapshot carries no export date inside
 * (OpenSanctions writes it only into the dataset's index.json, see ingest/sources/ftm.ts).
 */
export function openSanctionsSource(dataset: string): FetchSourceDef {
  return {
    name: `${OPENSANCTIONS_PREFIX}${dataset}`,
    publisher: 'opensanctions',
    description: `OpenSanctions dataset ${dataset}, FollowTheMoney entities (CC BY-NC 4.0)`,
    format: 'ftm',
    files: [`${dataset}/entities.ftm.json`],
    dateInside: false,
  };
}
