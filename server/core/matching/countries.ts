/**
 * Country names as the lists write them, reduced to one code so that "Korea, North", "Democratic
 * People's Republic of Korea" and "North Korea" agree. The table holds the variants that occur in the
 * OFAC, UN and OpenSanctions files of ../shared/data/sanctions (nationality, citizenship, document and
 * flag countries) and their usual alternates; a name it does not know is compared as written.
 */
import { nameKey } from '../text/keys';

/** ISO 3166-1 alpha-2 (or a descriptive code for former states) -> the variants that mean it. */
const VARIANTS: Record<string, readonly string[]> = {
  KP: ['Korea, North', 'North Korea', "Democratic People's Republic of Korea", "Korea, Democratic People's Republic of", 'DPRK', "Korea (Democratic People's Republic of)"],
  KR: ['Korea, South', 'South Korea', 'Republic of Korea', 'Korea, Republic of', 'Korea (Republic of)'],
  IR: ['Iran', 'Iran (Islamic Republic of)', 'Islamic Republic of Iran', 'Iran, Islamic Republic of'],
  SY: ['Syria', 'Syrian Arab Republic'],
  RU: ['Russia', 'Russian Federation'],
  GB: ['United Kingdom', 'United Kingdom of Great Britain and Northern Ireland', 'UK', 'Great Britain', 'Britain'],
  US: ['United States', 'United States of America', 'USA'],
  TR: ['Turkey', 'Türkiye', 'Turkiye', 'Republic of Türkiye'],
  CD: ['Congo, Democratic Republic of the', 'Democratic Republic of the Congo', 'DR Congo', 'Congo (Democratic Republic of the)', 'Congo-Kinshasa', 'DRC'],
  CG: ['Congo', 'Republic of the Congo', 'Congo, Republic of the', 'Congo-Brazzaville'],
  TZ: ['Tanzania', 'United Republic of Tanzania', 'Tanzania, United Republic of'],
  MM: ['Burma', 'Myanmar'],
  PS: ['Palestinian', 'Palestine', 'State of Palestine', 'Palestinian Territories', 'Palestinian Territory, Occupied', 'Region: Gaza', 'Gaza', 'West Bank'],
  MK: ['North Macedonia', 'North Macedonia, The Republic of', 'Republic of North Macedonia', 'Macedonia', 'The former Yugoslav Republic of Macedonia'],
  GM: ['The Gambia', 'Gambia'],
  CV: ['Cabo Verde', 'Cape Verde'],
  VE: ['Venezuela', 'Venezuela (Bolivarian Republic of)', 'Bolivarian Republic of Venezuela'],
  BO: ['Bolivia', 'Bolivia (Plurinational State of)', 'Plurinational State of Bolivia'],
  LA: ['Laos', "Lao People's Democratic Republic", 'Lao PDR'],
  VN: ['Vietnam', 'Viet Nam'],
  MD: ['Moldova', 'Republic of Moldova', 'Moldova, Republic of'],
  CZ: ['Czech Republic', 'Czechia'],
  CI: ["Cote d'Ivoire", "Côte d'Ivoire", 'Ivory Coast'],
  AE: ['United Arab Emirates', 'UAE'],
  SA: ['Saudi Arabia', 'Kingdom of Saudi Arabia'],
  CN: ['China', "People's Republic of China", 'China, People\'s Republic of'],
  TW: ['Taiwan', 'Taiwan, Province of China', 'Chinese Taipei'],
  HK: ['Hong Kong', 'Hong Kong SAR', 'Hong Kong, China', 'China, Hong Kong Special Administrative Region'],
  BA: ['Bosnia and Herzegovina', 'Bosnia-Herzegovina'],
  LY: ['Libya', 'Libyan Arab Jamahiriya', 'State of Libya'],
  SZ: ['Eswatini', 'Swaziland'],
  KG: ['Kyrgyzstan', 'Kyrgyz Republic'],
  XK: ['Kosovo'],
  SU: ['Soviet Union', 'former Soviet Union', 'USSR'],
  CSXX: ['Serbia and Montenegro'],
  YUCS: ['Yugoslavia'],
};

/**
 * Values that say no country, or not one for sure ("possibly Palestinian"): ignored, so they neither
 * agree nor disagree. Former states (USSR, Yugoslavia) are ignored too: a person born a Soviet citizen
 * may be listed as Russian, Ukrainian or Belarusian elsewhere.
 */
const VAGUE = new Set(['NA', 'N A', 'UNKNOWN', 'STATELESS', 'SU', 'YUCS', 'CSXX']);

const BY_KEY = new Map<string, string>();
for (const [code, names] of Object.entries(VARIANTS)) {
  for (const n of names) BY_KEY.set(nameKey(n), code);
}

/**
 * ISO 3166-1 alpha-3 codes with their alpha-2 code, five letters each ("RUSRU"): callers and some
 * sources write RUS or PRK. From the iso-codes package's iso_3166-1.json (249 countries).
 */
const ALPHA3 = new Map(
  'ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE DJIDJ DMADM DNKDK DOMDO DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE PHLPH PLWPW PNGPG POLPL PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW'
    .split(' ')
    .map((c) => [c.slice(0, 3), c.slice(3)] as const),
);
const ALPHA2 = new Set(ALPHA3.values());

/**
 * The code a country name means: "Korea, North" -> "KP" (the table of the lists' variants), "RUS" ->
 * "RU" (ISO alpha-3), "ru" -> "RU" (alpha-2), "Mexico" -> "MX" (the English CLDR name); the name's key
 * when none of these knows it ("Narnia" -> "NARNIA": see isCountryCode); or null when the value names
 * no definite country ("na", "possibly Palestinian", "former Soviet Union").
 */
export function countryCode(name: string | null | undefined): string | null {
  if (!name) return null;
  const trimmed = name.trim();
  if (/^(possibly|probably|allegedly|reportedly)\b/i.test(trimmed)) return null;
  const key = nameKey(trimmed).replace(/^THE | THE$/g, '');
  if (key === '') return null;
  const listed = BY_KEY.get(key) ?? BY_KEY.get(nameKey(trimmed)) ?? key;
  // "NA" is how lists write "not available", not Namibia.
  if (VAGUE.has(listed)) return null;
  if (BY_KEY.has(key) || BY_KEY.has(nameKey(trimmed))) return listed;
  return ALPHA3.get(key) ?? (ALPHA2.has(key) ? key : undefined) ?? cldrCode(key) ?? cldrCode(nameKey(trimmed)) ?? key;
}

/**
 * Whether a countryCode result is a country's code (ISO alpha-2, or XK), not the key of a name no table
 * knows: only such codes are evidence when countries are compared (an unknown spelling is no mismatch).
 */
export function isCountryCode(code: string | null): code is string {
  return code !== null && /^[A-Z]{2}$/.test(code);
}

/** The distinct codes of a list of country names, in order of first appearance. */
export function countryCodes(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const c = countryCode(n);
    if (c !== null && !out.includes(c)) out.push(c);
  }
  return out;
}

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });
let cldrCodes: Map<string, string> | null = null;

/** Every ISO 3166-1 alpha-2 code by the key of its English (CLDR) name, built on first use. */
function cldrCode(key: string): string | undefined {
  if (!cldrCodes) {
    cldrCodes = new Map();
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const a of letters) {
      for (const b of letters) {
        const name = REGION_NAMES.of(a + b);
        if (name && name !== a + b) cldrCodes.set(nameKey(name), a + b);
      }
    }
  }
  return cldrCodes.get(key);
}

/**
 * The lowercase ISO 3166-1 alpha-2 code of a country name, as FtM writes countries ("Korea, North" ->
 * "kp", "Mexico" -> "mx"), or null when the name is no definite country or no code is known for it.
 */
export function isoCountryCode(name: string | null | undefined): string | null {
  const code = countryCode(name);
  if (code === null) return null;
  if (/^[A-Z]{2}$/.test(code)) return code.toLowerCase();
  return cldrCode(nameKey(name!))?.toLowerCase() ?? null;
}
