/**
 * Metadata of the UN Security Council Consolidated List XML, kept as data beside the parser
 * (un-xml.ts).
 *
 * Format: https://scsanctions.un.org/resources/xml/en/consolidated.xml, schema
 * https://www.un.org/sc/resources/sc-sanctions.xsd. Root CONSOLIDATED_LIST (attribute dateGenerated),
 * then INDIVIDUALS/INDIVIDUAL* and ENTITIES/ENTITY*. Each entry has a permanent REFERENCE_NUMBER such
 * as QDi.006 or KPe.001: two letters for the sanctions regime, `i` (individual) or `e` (entity), a dot
 * and three digits. The same numbers are how the list's free text refers to other entries.
 */
import type { IdentifierType, LinkRecord } from '../../server/core/model';

export const UN_PUBLISHER = 'United Nations Security Council';

export const UN_DATASET = { name: 'un-sc', title: 'UN Security Council Consolidated List' } as const;

/** Id prefix of UN parties (`un-QDi.006`) and of placeholders the loader makes for UN links. */
export const UN_ID_PREFIX = 'un';

/**
 * Program names are the UN_LIST_TYPE (the sanctions regime: Al-Qaida, DPRK, Taliban, Iran, ...) with
 * this prefix, so that e.g. UN "Iraq" and OFAC "IRAQ2" (or any future OFAC code equal to a UN regime
 * name) stay different Program nodes.
 */
export const UN_PROGRAM_PREFIX = 'UN-';

/**
 * A reference number written in free text. The dot is optional because the list itself once writes
 * "Abubakar Mohammed Shekau (QDi322)" (QDe.142, 2025-11-18); the match is normalised to "QDi.322".
 */
export const UN_REFERENCE_IN_TEXT = /\b([A-Z]{2}[ie])\.?(\d{3})\b/g;

/**
 * INDIVIDUAL_DOCUMENT/TYPE_OF_DOCUMENT values (the UN uses a closed list; the French and Spanish
 * wordings are leftovers of the other language versions of the list). Keys are lower-cased with
 * spaces collapsed. A value not listed becomes an 'other' identifier and a warning.
 */
export const UN_DOCUMENT_TYPES: Record<string, IdentifierType> = {
  passport: 'passport',
  'numéro de passeport': 'passport',
  'número de pasaporte': 'passport',
  'national identification number': 'nationalId',
  'national identification no.': 'nationalId',
};

/**
 * TYPE_OF_DOCUMENT wordings from the French and Spanish versions of the list. Where an entry lists the
 * same document under one of these and in English (KPi.008 gives passport 645120196 three times), the
 * translation is dropped; alone, it is kept.
 */
export const UN_TRANSLATED_DOCUMENT_TYPES = new Set(['numéro de passeport', 'número de pasaporte']);

/**
 * TYPE_OF_DOCUMENT2 is free text that narrows TYPE_OF_DOCUMENT ("Italian Fiscal Code:", "Birth
 * certificate", "Ration card no."). Where it names a document that is not what TYPE_OF_DOCUMENT says,
 * it decides the type. First match wins; no match keeps the TYPE_OF_DOCUMENT type.
 */
export const UN_DOCUMENT_SUBTYPES: [RegExp, IdentifierType][] = [
  [/fiscal code|tax/i, 'taxId'],
  [/birth certificate|ration card|driv(?:er|ing)|voter|student|military|serviceman|residen|alien registration|certificate of (?:iraqi )?nationality|other id/i, 'other'],
  [/passport|travel document|laissez-passer/i, 'passport'],
  [/identi|social security|national (?:number|no)/i, 'nationalId'],
];

/**
 * Wording around a reference number in COMMENTS1 (and DESIGNATION) that says how the entry relates
 * to the referenced one. The label of a link is the phrase that ends nearest before the reference in
 * the same sentence (a later phrase in the sentence wins over an earlier one, so in "Member of A (x),
 * and associated with B (y)" x is "Member of" and y "Associated with"); with no phrase, the label is
 * "Mentioned in comments". Only "associate" wording makes an ASSOCIATE link; the rest are
 * UNKNOWN_LINK, the label keeping what the source says. Patterns are matched case-insensitively on the
 * text with whitespace collapsed and ’ written as '.
 *
 * Taken from the phrases the 2025-11-18 list uses before a reference. Some read from the listed entry
 * to the referenced one ("Member of"), some the other way ("Led by", "Owned by"): the label is what the
 * source says about the entry whose comment it is. "listed as" (an identity note, e.g. "ISIL, listed as
 * Al-Qaida in Iraq (QDe.115)") and "designated under" are deliberately not phrases.
 */
export const UN_LINK_PHRASES: { pattern: RegExp; label: string; type: LinkRecord['type'] }[] = [
  { pattern: /\b(?:closely |also |had been )?associated(?: with)?\b/gi, label: 'Associated with', type: 'ASSOCIATE' },
  { pattern: /\bassociates? of\b/gi, label: 'Associate of', type: 'ASSOCIATE' },
  { pattern: /\baffiliated with\b/gi, label: 'Affiliated with', type: 'UNKNOWN_LINK' },
  { pattern: /\baffiliate of\b/gi, label: 'Affiliate of', type: 'UNKNOWN_LINK' },
  { pattern: /\blinked (?:to|with)\b|\b(?:with )?links to\b/gi, label: 'Linked to', type: 'UNKNOWN_LINK' },
  { pattern: /\bties to\b/gi, label: 'Ties to', type: 'UNKNOWN_LINK' },
  { pattern: /\bworking closely with\b/gi, label: 'Working closely with', type: 'UNKNOWN_LINK' },
  { pattern: /\bcooperates? with\b/gi, label: 'Cooperates with', type: 'UNKNOWN_LINK' },
  { pattern: /\bjoint attacks with\b/gi, label: 'Joint attacks with', type: 'UNKNOWN_LINK' },
  { pattern: /\bmembers? of\b/gi, label: 'Member of', type: 'UNKNOWN_LINK' },
  { pattern: /\bregistered by members of\b/gi, label: 'Registered by members of', type: 'UNKNOWN_LINK' },
  { pattern: /\bmembers include\b/gi, label: 'Members include', type: 'UNKNOWN_LINK' },
  { pattern: /\bdirectors included\b/gi, label: 'Directors included', type: 'UNKNOWN_LINK' },
  { pattern: /\bdirector of\b/gi, label: 'Director of', type: 'UNKNOWN_LINK' },
  { pattern: /\bleader of\b|\bbelongs to the leadership of\b/gi, label: 'Leader of', type: 'UNKNOWN_LINK' },
  { pattern: /\bleader (?:of [\w-]+ )?is\b|\b(?:led|headed) by\b/gi, label: 'Led by', type: 'UNKNOWN_LINK' },
  { pattern: /\bhead of\b/gi, label: 'Head of', type: 'UNKNOWN_LINK' },
  { pattern: /\bemir of\b/gi, label: 'Emir of', type: 'UNKNOWN_LINK' },
  { pattern: /\bcommander of\b/gi, label: 'Commander of', type: 'UNKNOWN_LINK' },
  { pattern: /\bchief of\b/gi, label: 'Chief of', type: 'UNKNOWN_LINK' },
  { pattern: /\bdeputy to\b|\bsecond in command to\b/gi, label: 'Deputy to', type: 'UNKNOWN_LINK' },
  { pattern: /\bdeputy in\b/gi, label: 'Deputy in', type: 'UNKNOWN_LINK' },
  { pattern: /\bspokesman of\b/gi, label: 'Spokesman of', type: 'UNKNOWN_LINK' },
  { pattern: /\bfounder of\b/gi, label: 'Founder of', type: 'UNKNOWN_LINK' },
  { pattern: /\b(?:co-)?founded\b[^()]{0,40}?\bby\b|\bformed\b[^()]{0,40}?\bby\b|\bestablished by\b/gi, label: 'Founded by', type: 'UNKNOWN_LINK' },
  { pattern: /^(?:since \d{4}, )?(?:formed|established)\b/gi, label: 'Founded', type: 'UNKNOWN_LINK' },
  { pattern: /\bowned by\b/gi, label: 'Owned by', type: 'UNKNOWN_LINK' },
  { pattern: /\bchanged (?:its )?name (?:as|to)\b|\brenamed(?: as| to)?\b/gi, label: 'Renamed as', type: 'UNKNOWN_LINK' },
  { pattern: /\bappointed\b[^()]{0,40}?\bby\b/gi, label: 'Appointed by', type: 'UNKNOWN_LINK' },
  { pattern: /\bbrother of\b/gi, label: 'Brother of', type: 'UNKNOWN_LINK' },
  { pattern: /\bson of\b/gi, label: 'Son of', type: 'UNKNOWN_LINK' },
  { pattern: /\bcousin of\b/gi, label: 'Cousin of', type: 'UNKNOWN_LINK' },
  { pattern: /\bfather's name is\b/gi, label: "Father's name is", type: 'UNKNOWN_LINK' },
  { pattern: /\bsplinter group of\b/gi, label: 'Splinter group of', type: 'UNKNOWN_LINK' },
  { pattern: /\bmerged? (?:with|between)\b/gi, label: 'Merged with', type: 'UNKNOWN_LINK' },
  { pattern: /\babsorbed into\b/gi, label: 'Absorbed into', type: 'UNKNOWN_LINK' },
  { pattern: /\bcomponent of\b/gi, label: 'Component of', type: 'UNKNOWN_LINK' },
  { pattern: /\b(?:humanitarian|armed|military|political) wing of\b/gi, label: 'Wing of', type: 'UNKNOWN_LINK' },
  { pattern: /\bjoined\b/gi, label: 'Joined', type: 'UNKNOWN_LINK' },
  { pattern: /\b(?:pledged )?(?:loyalty|allegiance) to\b/gi, label: 'Pledged allegiance to', type: 'UNKNOWN_LINK' },
  { pattern: /\bfinancier (?:of|for)\b|\bfinances of\b/gi, label: 'Financier of', type: 'UNKNOWN_LINK' },
  { pattern: /\bfacilitator (?:of|for)\b/gi, label: 'Facilitator for', type: 'UNKNOWN_LINK' },
  { pattern: /\boperative (?:of|for)\b|\bexpert (?:of|for)\b/gi, label: 'Operative for', type: 'UNKNOWN_LINK' },
  { pattern: /\bsupport (?:to|of)\b|\bservices to\b|\btraining to\b/gi, label: 'Provided support to', type: 'UNKNOWN_LINK' },
  { pattern: /\breceived money from\b/gi, label: 'Received money from', type: 'UNKNOWN_LINK' },
  { pattern: /\bfunds to\b/gi, label: 'Transferred funds to', type: 'UNKNOWN_LINK' },
  { pattern: /\bworked (?:on|for|with)\b/gi, label: 'Worked with', type: 'UNKNOWN_LINK' },
];

/** Label of a reference no phrase explains, by the element it was found in. */
export const UN_MENTION_LABELS = { COMMENTS1: 'Mentioned in comments', DESIGNATION: 'Mentioned in designation' } as const;

/**
 * Child elements of INDIVIDUAL / ENTITY this parser knows (sc-sanctions.xsd and the published files),
 * and the children it knows of each of those. Anything else is reported once as a warning, so a schema
 * change is noticed rather than dropped.
 */
export const UN_KNOWN_ELEMENTS: Record<string, readonly string[]> = {
  DATAID: [], VERSIONNUM: [], FIRST_NAME: [], SECOND_NAME: [], THIRD_NAME: [], FOURTH_NAME: [], UN_LIST_TYPE: [],
  REFERENCE_NUMBER: [], LISTED_ON: [], SUBMITTED_BY: ['VALUE'], GENDER: [], NAME_ORIGINAL_SCRIPT: [], COMMENTS1: [],
  TITLE: ['VALUE'], DESIGNATION: ['VALUE'], NATIONALITY: ['VALUE'], LIST_TYPE: ['VALUE'], LAST_DAY_UPDATED: ['VALUE'],
  INDIVIDUAL_ALIAS: ['QUALITY', 'ALIAS_NAME', 'DATE_OF_BIRTH', 'CITY_OF_BIRTH', 'COUNTRY_OF_BIRTH', 'NOTE'],
  ENTITY_ALIAS: ['QUALITY', 'ALIAS_NAME', 'NOTE'],
  INDIVIDUAL_ADDRESS: ['STREET', 'CITY', 'STATE_PROVINCE', 'ZIP_CODE', 'COUNTRY', 'NOTE'],
  ENTITY_ADDRESS: ['STREET', 'CITY', 'STATE_PROVINCE', 'ZIP_CODE', 'COUNTRY', 'NOTE'],
  INDIVIDUAL_DATE_OF_BIRTH: ['TYPE_OF_DATE', 'DATE', 'YEAR', 'FROM_YEAR', 'TO_YEAR', 'NOTE'],
  INDIVIDUAL_PLACE_OF_BIRTH: ['STREET', 'CITY', 'STATE_PROVINCE', 'COUNTRY', 'NOTE'],
  INDIVIDUAL_DOCUMENT: ['TYPE_OF_DOCUMENT', 'TYPE_OF_DOCUMENT2', 'NUMBER', 'ISSUING_COUNTRY', 'DATE_OF_ISSUE', 'CITY_OF_ISSUE', 'COUNTRY_OF_ISSUE', 'NOTE'],
  SORT_KEY: [], SORT_KEY_LAST_MOD: [],
};

/** Month names and abbreviations in the list's English dates ("7 Nov. 2001", "21 April 2019"). */
export const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
