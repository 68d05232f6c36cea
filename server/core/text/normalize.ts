/**
 * Normalised keys that make shared facts meet: two parties with the same email, wallet, passport or
 * address end up pointing at one node. Keys compare values the way their owners write them (case,
 * spacing and punctuation aside) but never merge what could be different (base58 wallets stay
 * case-sensitive). The same functions run at ingest (parsers call identifierRecord) and at query
 * (screening looks identifiers up by identifierLookup), so what a user types finds what a list states.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { isIdentifierType, type AddressRecord, type IdentifierRecord, type IdentifierType } from '../model';
import { countryCode } from '../matching/countries';
import { nameKey } from './keys';

export { nameKey };

function compact(s: string): string {
  return s.normalize('NFKC').toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Identifier types that are global: the same value is the same thing whatever country is named. */
const GLOBAL_TYPES = new Set<IdentifierType>([
  'email', 'phone', 'website', 'cryptoWallet', 'imoNumber', 'mmsi', 'swiftBic', 'leiCode', 'isin', 'callSign',
  'aircraftSerial', 'aircraftTailNumber',
]);

/** Document numbers: keyed by issuing country, and compared with each other across these types. */
export const DOCUMENT_TYPES: readonly IdentifierType[] = ['passport', 'nationalId', 'taxId', 'registrationNumber', 'other'];

/**
 * The currency of an OFAC wallet label: "Digital Currency Address - XBT" -> "XBT" (OFAC's 2018
 * guidance names the currency after the dash); null for any other label.
 */
export function walletChain(label: string | null | undefined): string | null {
  const m = /^\s*(?:alt\.\s*)?Digital Currency Address\s*-\s*([A-Za-z0-9]+)\s*$/i.exec(label ?? '');
  return m ? m[1].toUpperCase() : null;
}

/**
 * Currencies whose addresses are Ethereum-style hex (EVM chains and tokens issued on them). Their
 * case is only the EIP-55 checksum, so they compare lowercased; so do bech32 addresses (bc1..., ltc1...,
 * which BIP-173 allows in one case only). Base58 addresses (XBT legacy, TRX, LTC, XMR, DASH, ZEC) are
 * case-sensitive: two of them differing in case are two wallets.
 */
const HEX_CHAINS = new Set(['ETH', 'ETC', 'BSC', 'BNB', 'ARB', 'MATIC', 'AVAX', 'FTM', 'OP', 'BASE']);
const HEX_ADDRESS = /^0x[0-9a-f]{6,}$/i;
const BECH32_ADDRESS = /^(bc|tb|ltc|bcrt)1[02-9ac-hj-np-z]{6,}$/i;

function walletValue(v: string, chain: string | null): string {
  const value = v.replace(/\s+/g, '');
  if (HEX_ADDRESS.test(value) || BECH32_ADDRESS.test(value)) return value.toLowerCase();
  if (chain && HEX_CHAINS.has(chain) && /^[0-9a-f]+$/i.test(value)) return `0x${value.toLowerCase()}`;
  return value;
}

/** The ISO 3166 alpha-2 code libphonenumber wants, from a country as lists write it ("Korea, North" -> KP). */
function phoneRegion(country: string | null | undefined): CountryCode | undefined {
  const code = countryCode(country);
  return code !== null && /^[A-Z]{2}$/.test(code) ? (code as CountryCode) : undefined;
}

/**
 * A phone number in E.164 (+8613621583465), with libphonenumber-js:
 * - written with its country code (+ or 00 first): as it says;
 * - else with the identifier's country when the source names one ("021 6615 3220" of Iran);
 * - else read as international without the plus, when that is a valid number: OFAC writes numbers so
 *   ("Phone Number 8613621583465", "(98)(21)(66153220)"); not when written in a national format (a
 *   trunk digit, then the area code in parentheses: "8 (495) 123-45-67");
 * - else (no country code, no country, or not a valid number): its digits only, as written. Such a key
 *   meets only the same digits; phoneAlternates lets a lookup try both forms.
 */
/** A trunk prefix (0, or 8 in Russia and its neighbours; no country code is 0 or 8) before an area code in parentheses. */
const NATIONAL_WRITTEN = /^\s*[08]\s*\(\d+\)/;

function phoneValue(v: string, country: string | null | undefined): string {
  const digits = v.replace(/\D+/g, '');
  if (digits.length < 6) return compact(v);
  const international = /^\s*(\+|00)/.test(v) ? `+${v.replace(/^\s*(\+|00)/, '').replace(/\D+/g, '')}` : null;
  const tries: (() => ReturnType<typeof parsePhoneNumberFromString>)[] = [];
  if (international) tries.push(() => parsePhoneNumberFromString(international));
  else {
    const region = phoneRegion(country);
    if (region) tries.push(() => parsePhoneNumberFromString(v, region));
    // A trunk digit before an area code in parentheses ("8 (495) 123-45-67", Russian; "0 (21) ...") is a
    // national number: read as international it would be another country's (+84 95..., Vietnam).
    if (!NATIONAL_WRITTEN.test(v)) tries.push(() => parsePhoneNumberFromString(`+${digits}`));
  }
  for (const attempt of tries) {
    try {
      const n = attempt();
      if (n?.isValid()) return n.number;
    } catch {
      // libphonenumber throws on text it cannot read at all; the digits are used below.
    }
  }
  return international ?? digits;
}

/** A website's host: scheme, user, port, path, query and a leading "www." dropped, lowercase. */
function websiteValue(v: string): string {
  const text = v.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  let host = text.split(/[/?#]/)[0].replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  try {
    // The URL parser turns internationalised hosts into their punycode form, as DNS knows them.
    host = new URL(`http://${host}`).hostname;
  } catch {
    // Not a host name a URL could hold: compared as written, lowercased.
  }
  return host.toLowerCase().replace(/^www\d*\./, '').replace(/\.$/, '');
}

/**
 * A value normalised for its type. `country` is the issuing country where the source names one (a
 * phone number without its country code is read in it); `label` the source's label (a wallet's
 * currency: see walletChain).
 */
export function normaliseIdentifierValue(type: IdentifierType, value: string, country?: string | null, label?: string | null): string {
  const v = value.trim();
  switch (type) {
    case 'email':
      return v.replace(/^mailto:/i, '').normalize('NFKC').toLowerCase();
    case 'website':
      return websiteValue(v);
    case 'phone':
      return phoneValue(v, country);
    case 'cryptoWallet':
      return walletValue(v, walletChain(label));
    default:
      // Document numbers: spaces, dashes, dots and other punctuation dropped, letters uppercased.
      return compact(v);
  }
}

export function identifierRecord(type: IdentifierType, value: string, country: string | null, label?: string | null): IdentifierRecord {
  const norm = normaliseIdentifierValue(type, value, country, label);
  const scope = GLOBAL_TYPES.has(type) ? '' : `${country ? nameKey(country) : '*'}:`;
  return { key: `${type}:${scope}${norm}`, type, value: value.trim(), country };
}

/**
 * An identifier key read back (the inverse of identifierRecord's key, which is the Identifier node's
 * id): its type, and the key of its country name (null when it names none: "*", or a global type).
 * Null when the key is not one.
 */
export function identifierKeyParts(key: string): { type: IdentifierType; countryKey: string | null } | null {
  const [type, scope] = key.split(':');
  if (!isIdentifierType(type)) return null;
  if (GLOBAL_TYPES.has(type)) return { type, countryKey: null };
  return scope === undefined ? null : { type, countryKey: scope === '*' ? null : scope };
}

// ---------------------------------------------------------------------------------------------
// Identifiers typed by a user (screening)

/** An IMO ship or company number as lists write it ("IMO 8909331"): seven digits after "IMO". */
const IMO = /^IMO[\s:.-]*\d{7}$/i;
const EMAIL = /^(mailto:)?[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/i;
/** Base58 (Bitcoin legacy and P2SH, Tron, Litecoin, Dash, Zcash transparent, Monero) and hex/bech32 addresses. */
const WALLETS = [
  HEX_ADDRESS,
  BECH32_ADDRESS,
  /^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/, // XBT
  /^T[1-9A-HJ-NP-Za-km-z]{33}$/, // TRX (and USDT on Tron)
  /^[LM][1-9A-HJ-NP-Za-km-z]{26,33}$/, // LTC
  /^X[1-9A-HJ-NP-Za-km-z]{33}$/, // DASH
  /^t1[1-9A-HJ-NP-Za-km-z]{33}$/, // ZEC
  /^[48][1-9A-HJ-NP-Za-km-z]{94,105}$/, // XMR
];
/** Any long run of letters and digits (with a URI scheme such as "bitcoincash:"), as wallet addresses are. */
const WALLET_LIKE = /^([a-z]+:)?(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{25,}$/;
const WEBSITE = /^([a-z][a-z0-9+.-]*:\/\/)?([^\s/@]+@)?(www\d*\.)?([a-z0-9\u00a1-\uffff-]+\.)+[a-z\u00a1-\uffff]{2,}\.?(:\d+)?([/?#]\S*)?$/i;
/** Written as a phone number: a + or 00 first, or digits grouped by spaces, dashes, dots or parentheses. */
const PHONE_WRITTEN = /^(\+|00)[\d\s().-]{6,}$|^\(?\d{1,4}\)?([\s.-]+\(?\d+\)?){2,}$/;

/**
 * The type of an identifier typed without one: an email, a wallet, a website, a phone number written
 * as one (+ or 00 first, or digits in groups), else a document number ('other': every document type is
 * looked up). A run of digits alone is a document number; identifierLookup also tries it as a phone.
 */
export function recogniseIdentifierType(value: string): IdentifierType {
  const v = value.trim();
  if (EMAIL.test(v)) return 'email';
  if (IMO.test(v)) return 'imoNumber';
  if (WALLETS.some((re) => re.test(v))) return 'cryptoWallet';
  if (PHONE_WRITTEN.test(v) && v.replace(/\D/g, '').length >= 7) return 'phone';
  if (WEBSITE.test(v) && !/^\d+(\.\d+)*$/.test(v)) return 'website';
  return 'other';
}

/** How to find an identifier typed by a user among the Identifier nodes. */
export interface IdentifierLookup {
  /** The type it was read as (given, or recognised from the value). */
  type: IdentifierType;
  /** The value as typed, trimmed. */
  value: string;
  /** The normalised value. */
  normalised: string;
  /** Node ids (keys) that are this identifier, the key identifierRecord gives first. */
  keys: string[];
  /**
   * For document numbers (their keys hold the issuing country, which a user may not name): node ids of
   * these types ending in `:${normalised}` are this number too.
   */
  documentTypes: IdentifierType[];
  suffix: string | null;
  /**
   * The code of the country the caller named (countryCode), or null: a document number found by its
   * suffix counts only when its key's country is this one or none ('*'); see lookupAccepts.
   */
  countryCode: string | null;
}

/**
 * Whether an Identifier node's key found for this lookup is the caller's identifier. The suffix search
 * finds a number under every issuing country (so a list writing "Russian Federation" meets a caller's
 * "Russia"); when the caller names a country, a number another country issued is another document.
 */
export function lookupAccepts(lookup: IdentifierLookup, key: string): boolean {
  if (lookup.countryCode === null || lookup.keys.includes(key)) return true;
  if (!lookup.suffix || !key.endsWith(lookup.suffix)) return true;
  const scope = key.slice(key.indexOf(':') + 1, key.length - lookup.suffix.length);
  return scope === '*' || countryCode(scope) === lookup.countryCode;
}

/**
 * The keys under which the Identifier nodes of a typed identifier are stored: identifierRecord's key,
 * plus the forms stores loaded before this normalisation hold (a phone's digits without the plus; a
 * website with its path), which a reload replaces. A document number without a country matches that
 * number of any country and any document type (lists file one number as a passport or an id).
 */
export function identifierLookup(type: IdentifierType | null, value: string, country: string | null = null): IdentifierLookup {
  const v = value.trim();
  const t = type ?? recogniseIdentifierType(v);
  const record = identifierRecord(t, v, country);
  const normalised = normaliseIdentifierValue(t, v, country);
  const keys = new Set([record.key]);
  // Digits typed without a type may be a phone number or a document number, however grouped: both are looked up.
  const digits = type === null && /^[\d\s()./-]+$/.test(v) && v.replace(/\D/g, '').length >= 4;
  if (t === 'phone' || digits) {
    const phone = phoneValue(v, country);
    keys.add(`phone:${phone}`);
    keys.add(`phone:${phone.replace(/^\+/, '')}`);
  }
  // An address of a chain recognised by no pattern above (BTG, XVG, BCH cashaddr, XMR's 64 hex digits,
  // XRP) reads as a document number: it is a wallet as typed too (a "bitcoincash:" prefix dropped).
  if (type === null && t !== 'cryptoWallet' && WALLET_LIKE.test(v)) keys.add(`cryptoWallet:${walletValue(v.replace(/^[a-z]+:/i, ''), null)}`);
  // Forty hex digits without 0x, typed as a wallet or untyped, is an EVM address as OFAC often writes
  // it: stored under its 0x form since parsers pass the chain (a "Digital Currency Address - ETH" label).
  const bare = v.replace(/\s+/g, '');
  if ((type === null || t === 'cryptoWallet') && /^[0-9a-f]{40}$/i.test(bare)) keys.add(`cryptoWallet:0x${bare.toLowerCase()}`);
  if (t === 'imoNumber') {
    // Lists write "IMO 8909331" or the digits alone.
    const digitsOf = normalised.replace(/^IMO/, '');
    keys.add(`imoNumber:${digitsOf}`).add(`imoNumber:IMO${digitsOf}`);
  }
  if (t === 'website') {
    const legacy = v.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/+$/, '');
    keys.add(`website:${legacy}`);
  }
  const document = DOCUMENT_TYPES.includes(t) || digits;
  const number = compact(v);
  // As matching compares them (match.ts sameIdentifier): a passport is a passport or an 'other'
  // document; the other document types meet each other; an unknown document meets all.
  const documentTypes: IdentifierType[] = !document
    ? []
    : t === 'passport' ? ['passport', 'other'] : DOCUMENT_TYPES.includes(t) && t !== 'other' ? DOCUMENT_TYPES.filter((d) => d !== 'passport') : [...DOCUMENT_TYPES];
  if (document) for (const d of documentTypes) keys.add(`${d}:${country ? nameKey(country) : '*'}:${number}`);
  return {
    type: t,
    value: v,
    normalised,
    keys: [...keys],
    documentTypes,
    suffix: document && number.length >= 4 ? `:${number}` : null,
    countryCode: countryCode(country),
  };
}

export function addressRecord(street: string | null, city: string | null, country: string | null): AddressRecord {
  // Written out rather than with arrays: a load makes one per address row.
  let full = '';
  for (const p of [street, city, country]) if (p && p.trim() !== '') full = full ? `${full}, ${p}` : p;
  const key = `${street ? nameKey(street) : ''}|${city ? nameKey(city) : ''}|${country ? nameKey(country) : ''}`;
  return { key, full, street, city, country };
}
