/**
 * Normalised keys that make shared facts meet: two parties with the same email, wallet, passport or
 * address end up pointing at one node. Keys compare values the way a person would (case, spacing and
 * punctuation aside) but never merge what could be different (base58 wallets stay case-sensitive).
 */
import { isIdentifierType, type AddressRecord, type IdentifierRecord, type IdentifierType } from '../model';

/** Uppercase, accents folded, punctuation dropped, spaces collapsed: "Co., Ltd." -> "CO LTD". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function compact(s: string): string {
  return s.normalize('NFKC').toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Identifier types that are global: the same value is the same thing whatever country is named. */
const GLOBAL_TYPES = new Set<IdentifierType>([
  'email', 'phone', 'website', 'cryptoWallet', 'imoNumber', 'mmsi', 'swiftBic', 'leiCode', 'isin', 'callSign',
  'aircraftSerial', 'aircraftTailNumber',
]);

export function normaliseIdentifierValue(type: IdentifierType, value: string): string {
  const v = value.trim();
  switch (type) {
    case 'email':
      return v.toLowerCase();
    case 'website':
      return v.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/+$/, '');
    case 'phone': {
      const digits = v.replace(/\D+/g, '');
      return digits.length >= 6 ? digits : compact(v);
    }
    case 'cryptoWallet':
      // Hex (0x...) addresses are case-insensitive (EIP-55 case is only a checksum); base58/bech32 are not.
      return /^0x[0-9a-f]+$/i.test(v) ? v.toLowerCase() : v;
    default:
      return compact(v);
  }
}

export function identifierRecord(type: IdentifierType, value: string, country: string | null): IdentifierRecord {
  const norm = normaliseIdentifierValue(type, value);
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

export function addressRecord(street: string | null, city: string | null, country: string | null): AddressRecord {
  const parts = [street, city, country].filter((p): p is string => !!p && p.trim() !== '');
  const full = parts.join(', ');
  const key = [street, city, country].map((p) => (p ? nameKey(p) : '')).join('|');
  return { key, full, street, city, country };
}
