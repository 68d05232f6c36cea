/**
 * Metadata of OFAC's legacy CSV files (SDN: sdn.csv, add.csv, alt.csv, sdn_comments.csv; Consolidated:
 * cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv), kept as data beside the parser.
 *
 * Format: OFAC "SDN/Consolidated list data specification" (the legacy CSV files "contain the same data as
 * the legacy fixed-field, pipe-delimited and delimited files"): no header row, `-0-` for an empty field,
 * one DOS end-of-file character (0x1A) after the last record.
 */
import type { IdentifierType } from '../../server/core/model';

export const OFAC_PUBLISHER = 'U.S. Treasury, Office of Foreign Assets Control (OFAC)';

/**
 * Id namespace of OFAC parties. Every OFAC format numbers an entry the same way (the CSV's ent_num, the
 * XML's uid / FixedRef / profile id), so one entry has one party id whatever the file: `ofac-<uid>`.
 */
export const OFAC_ID_PREFIX = 'ofac';
export function ofacId(uid: string | number): string {
  return `${OFAC_ID_PREFIX}-${uid}`;
}
/** The uid of an OFAC party id (the inverse of ofacId), or the id itself when it is not one. */
export function ofacUid(id: string): string {
  return id.startsWith(`${OFAC_ID_PREFIX}-`) ? id.slice(OFAC_ID_PREFIX.length + 1) : id;
}

/** Columns of each file, in order (OFAC data specification, "Legacy format files"). */
export const OFAC_CSV_COLUMNS = {
  primary: ['ent_num', 'SDN_Name', 'SDN_Type', 'Program', 'Title', 'Call_Sign', 'Vess_type', 'Tonnage', 'GRT', 'Vess_flag', 'Vess_owner', 'Remarks'],
  address: ['ent_num', 'Add_num', 'Address', 'City/State/Province/Postal Code', 'Country', 'Add_remarks'],
  alias: ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks'],
  comments: ['ent_num', 'Remarks_Extended'],
} as const;
export type OfacFileRole = keyof typeof OFAC_CSV_COLUMNS;

/**
 * Width of the legacy Remarks column. Remarks longer than this are cut at exactly this many characters
 * and continue in sdn_comments.csv / cons_comments.csv; a continuation for an entry whose remarks are
 * shorter cannot belong to the same release.
 */
export const REMARKS_COLUMN_WIDTH = 1000;

/** Default dataset names, by which list the primary file belongs to. */
export const OFAC_DATASETS = {
  sdn: { name: 'ofac-sdn', title: 'OFAC Specially Designated Nationals (SDN) List' },
  cons: { name: 'ofac-cons', title: 'OFAC Consolidated Sanctions (non-SDN) List' },
} as const;

/**
 * Sanity assertions (as OpenSanctions' crawler does): a full SDN primary file with fewer entries than
 * this is refused unless forced, because a short file is far more often a truncated download than a
 * real mass delisting.
 */
export const MIN_FULL_SDN_ENTRIES = 5000;

/**
 * Identifier labels found in the Remarks column, mapped to the model's identifier types. Taken from the
 * labels OFAC uses in the 2021-2025 files (the ADVANCED XML's IDRegDocType and feature-type tables name
 * the same documents). Matched longest first, so "Identification Number IMO" wins over
 * "Identification Number". Labels not listed stay in the remarks text, which is always kept whole.
 */
export const OFAC_ID_LABELS: Record<string, IdentifierType> = {
  // passports and travel documents
  Passport: 'passport',
  'Passport No.:': 'passport',
  'Passport Booklet': 'passport',
  'Passport Booklet:': 'passport',
  'Diplomatic Passport': 'passport',
  'British National Overseas Passport': 'passport',
  'Stateless Person Passport': 'passport',
  'Travel Document Number': 'passport',
  "Seafarer's Identification Document": 'passport',
  // national identity documents
  'National ID No.': 'nationalId',
  'National ID No.:': 'nationalId',
  'Identification Number': 'nationalId',
  'Cedula No.': 'nationalId',
  'C.U.R.P.': 'nationalId',
  'C.U.R.P. #': 'nationalId',
  'D.N.I.': 'nationalId',
  'Personal ID Card': 'nationalId',
  'National Foreign ID Number': 'nationalId',
  'Credencial electoral': 'nationalId',
  'Electoral Registry No.': 'nationalId',
  'Birth Certificate Number': 'nationalId',
  SSN: 'nationalId',
  'Residency Number': 'nationalId',
  'I.F.E.': 'nationalId',
  'C.U.I.': 'nationalId',
  'C.U.I.P.': 'nationalId',
  'Turkish Identification Number': 'nationalId',
  'Numero de Identidad': 'nationalId',
  "Citizen's Card Number": 'nationalId',
  'Kenyan ID No.': 'nationalId',
  'Tazkira National ID Card': 'nationalId',
  'UAE Identification': 'nationalId',
  'Bosnian Personal ID No.': 'nationalId',
  'Moroccan Personal ID No.': 'nationalId',
  'Refugee ID Card': 'nationalId',
  'Stateless Person ID Card': 'nationalId',
  'CNP (Personal Numerical Code)': 'nationalId',
  'N.I.E.': 'nationalId',
  'Romanian Permanent Resident CAN': 'nationalId',
  'Public Security and Immigration No.': 'nationalId',
  'Military Registration Number': 'nationalId',
  // tax numbers
  'Tax ID No.': 'taxId',
  'R.F.C.': 'taxId',
  'R.F.C. #': 'taxId',
  RFC: 'taxId',
  'NIT #': 'taxId',
  'RUC #': 'taxId',
  'RIF #': 'taxId',
  'V.A.T. Number': 'taxId',
  'C.U.I.T.': 'taxId',
  'US FEIN': 'taxId',
  RTN: 'taxId',
  'Italian Fiscal Code': 'taxId',
  'Italian Fiscal Code:': 'taxId',
  'C.I.F.': 'taxId',
  'N.I.F.': 'taxId',
  'Fiscal Code': 'taxId',
  'Romanian Tax Registration': 'taxId',
  'Paraguayan tax identification number': 'taxId',
  'Numero Unico de Identificacao Tributaria (NUIT)': 'taxId',
  RSIN: 'taxId',
  // company registrations
  'Registration Number': 'registrationNumber',
  'Registration ID': 'registrationNumber',
  'Business Registration Number': 'registrationNumber',
  'Business Registration Document #': 'registrationNumber',
  'Company Number': 'registrationNumber',
  'UK Company Number': 'registrationNumber',
  'Commercial Registry Number': 'registrationNumber',
  'Government Gazette Number': 'registrationNumber',
  'Public Registration Number': 'registrationNumber',
  'Folio Mercantil No.': 'registrationNumber',
  'Matricula Mercantil No': 'registrationNumber',
  'Unified Social Credit Code (USCC)': 'registrationNumber',
  'United Social Credit Code Certificate (USCCC)': 'registrationNumber',
  'C.R. No.': 'registrationNumber',
  'Romanian C.R.': 'registrationNumber',
  'Trade License No.': 'registrationNumber',
  'Chamber of Commerce Number': 'registrationNumber',
  'Istanbul Chamber of Comm. No.': 'registrationNumber',
  'Dubai Chamber of Commerce Membership No.': 'registrationNumber',
  'Economic Register Number (CBLS)': 'registrationNumber',
  'Central Registration System Number': 'registrationNumber',
  'Business Number': 'registrationNumber',
  'Enterprise Number': 'registrationNumber',
  'Branch Unit Number': 'registrationNumber',
  'Registered Charity No.': 'registrationNumber',
  'Certificate of Incorporation Number': 'registrationNumber',
  'Registration Certificate Number (Dubai)': 'registrationNumber',
  'Russian State Individual Business Registration Number Pattern (OGRNIP)': 'registrationNumber',
  'C.I.N.': 'registrationNumber',
  'LE Number': 'registrationNumber',
  'D-U-N-S Number': 'registrationNumber',
  'Organization Code': 'registrationNumber',
  'MSB Registration Number': 'registrationNumber',
  'Afghan Money Service Provider License Number': 'registrationNumber',
  License: 'registrationNumber',
  'Legal Entity Number': 'leiCode',
  'SWIFT/BIC': 'swiftBic',
  ISIN: 'isin',
  // contact details
  'Email Address': 'email',
  Email: 'email',
  Website: 'website',
  'Phone Number': 'phone',
  'Phone No.': 'phone',
  PHONE: 'phone',
  Telephone: 'phone',
  'Telephone:': 'phone',
  'Telephone No.': 'phone',
  'Telephone Number:': 'phone',
  'Alt. Telephone:': 'phone',
  Fax: 'phone',
  'Fax:': 'phone',
  'Fax No.': 'phone',
  FAX: 'phone',
  'Alt. Fax:': 'phone',
  // vessels and aircraft
  'Vessel Registration Identification IMO': 'imoNumber',
  'Identification Number IMO': 'imoNumber',
  'Company Number IMO': 'imoNumber',
  'International Maritime Organization No.': 'imoNumber',
  MMSI: 'mmsi',
  'Other Vessel Call Sign': 'callSign',
  "Aircraft Manufacturer's Serial Number (MSN)": 'aircraftSerial',
  'Aircraft Construction Number (also called L/N or S/N or F/N)': 'aircraftSerial',
  'Aircraft Serial Identification': 'aircraftSerial',
  'Aircraft Tail Number': 'aircraftTailNumber',
  'Previous Aircraft Tail Number': 'aircraftTailNumber',
  // other documents
  "Driver's License No.": 'other',
  'Cartilla de Servicio Militar Nacional': 'other',
  'Immigration No.': 'other',
  VisaNumberID: 'other',
  'SRE Permit No.': 'other',
  'Permit Number': 'other',
  'Pilot License Number': 'other',
  'BIK (RU)': 'other',
  'Chinese Commercial Code': 'other',
  'Equity Ticker': 'other',
  'Aircraft Mode S Transponder Code': 'other',
};

/** "Digital Currency Address - XBT 1Kuf2..." names the currency after the dash (OFAC 2018 guidance). */
export const DIGITAL_CURRENCY_LABEL = /^Digital Currency Address - ([A-Z0-9]+)$/;
