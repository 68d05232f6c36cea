/**
 * Hostile and broken files (issue 10): each input is a real list file with one thing done to it, written
 * to a temp folder. Before the readers had bounds, the 200,000-deep XML ran the CLI out of memory, the
 * giant CSV name and FtM line reached Neo4j and failed there with a driver stack trace, the CSV with one
 * Windows-1252 byte was "in no format this version understands", a DOCTYPE's entities were ignored, and
 * an XML file declaring ISO-8859-1 was read as UTF-8 without a word.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SourceFormatError } from '../../server/core/errors';
import { detectFormat } from '../../ingest/formats';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseOfacClassicXml } from '../../ingest/sources/ofac-classic-xml';
import { parseOfacEnhancedXml } from '../../ingest/sources/ofac-enhanced-xml';
import { parseUnXml } from '../../ingest/sources/un-xml';
import { parseFtm } from '../../ingest/sources/ftm';
import { boundValues, cutUtf8 } from '../../ingest/bounds';
import { REPO_ROOT } from '../../server/core/settings';

const FIX = path.join(__dirname, '..', 'fixtures');
const SDN = path.join(REPO_ROOT, 'ingest', 'demo', 'ofac-sdn-2024-05-03', 'sdn.csv');
const CLASSIC = path.join(FIX, 'ofac-classic-xml', 'consolidated-excerpt.xml');
const ENHANCED = path.join(FIX, 'ofac-enhanced-xml', 'CONS_ENHANCED-excerpt.XML');
const UN = path.join(FIX, 'un-xml', 'consolidated-2025-11-18-excerpt.xml');
const ZALA = path.join(FIX, 'ftm', 'zala-excerpt.ftm.json');
const MiB = 1024 ** 2;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes `content` as tmp/<dir>/<name>, returning the path. */
function variant(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(tmp, dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function refusal(p: Promise<unknown>): Promise<SourceFormatError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceFormatError);
  return err as SourceFormatError;
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
const sdnText = fs.readFileSync(SDN, 'utf8');
/** The line of the real sdn.csv that holds entry 43379 (CHINYONG), in the middle of the file. */
const CHINYONG = '"CHINYONG INFORMATION TECHNOLOGY COOPERATION COMPANY"';

describe('size caps', () => {
  test('a 20 MB name in a CSV record is refused with file and line, not sent to Neo4j', async () => {
    const file = variant('csv-giant', 'sdn.csv', sdnText.replace(CHINYONG, `"${'A'.repeat(20 * MiB)}"`));
    expect((await detectFormat([file])).name).toBe('ofac-csv'); // the first record is fine
    const err = await refusal(parseOfacCsv([file], { release: '2024-05-03' }));
    expect([err.file, err.line]).toEqual(['sdn.csv', lineOf(sdnText, CHINYONG)]);
    expect(err.reason).toMatch(/record longer than 8 MiB \(INGEST_MAX_RECORD_SIZE\)/);
  });

  test('the record cap is configurable: 1 KiB refuses a real record of 1,2xx bytes', async () => {
    const long = sdnText.split('\r\n').find((l) => l.length > 1100 && l.length < 2048)!;
    const file = variant('csv-cap', 'sdn.csv', sdnText);
    const err = await refusal(parseOfacCsv([file], { release: '2024-05-03', limits: { maxRecordBytes: 1024 } }));
    expect(err.line).toBe(lineOf(sdnText, long));
    expect(err.reason).toMatch(/longer than 1 KiB/);
  });

  test('a 30 MB FtM line is refused with file and line', async () => {
    const lines = fs.readFileSync(ZALA, 'utf8').split('\n');
    const entity = JSON.parse(lines[1]);
    entity.properties.name = ['N'.repeat(30 * MiB)];
    lines[1] = JSON.stringify(entity);
    const file = variant('ftm-giant', 'entities.ftm.json', lines.join('\n'));
    expect((await detectFormat([file])).name).toBe('ftm'); // from its first line, which is fine
    const err = await refusal(parseFtm([file], { release: '2024-05-27' }));
    expect([err.file, err.line]).toEqual(['entities.ftm.json', 2]);
    expect(err.reason).toMatch(/longer than 8 MiB \(INGEST_MAX_RECORD_SIZE\)/);
  });

  test('XML nested 200,000 deep is refused at the depth cap, inside a record or outside', async () => {
    const text = fs.readFileSync(UN, 'utf8');
    const deep = `${'<X>'.repeat(200_000)}${'</X>'.repeat(200_000)}`;
    const inside = variant('xml-deep-in', 'consolidated.xml', text.replace('<DATAID>', `${deep}\n<DATAID>`));
    const e1 = await refusal(parseUnXml([inside], {}));
    expect(e1.reason).toMatch(/nests elements more than 64 deep \(<X>\)/);
    expect(e1.line).toBe(lineOf(text, '<DATAID>'));
    const outside = variant('xml-deep-out', 'consolidated.xml', text.replace('<INDIVIDUALS>', `<INDIVIDUALS>${deep}`));
    const e2 = await refusal(parseUnXml([outside], {}));
    expect(e2.reason).toMatch(/nests elements more than 64 deep/);
  });

  test('an XML record over the cap is refused at its start line, even when made of small elements', async () => {
    const text = fs.readFileSync(ENHANCED, 'utf8');
    const start = text.indexOf('<entity ');
    // 400,000 small elements of 26 bytes: 10 MB in one record, no text node over 10 bytes.
    const many = '<remark>spam spam</remark>'.repeat(400_000);
    const file = variant('xml-record', 'CONS_ENHANCED.XML', `${text.slice(0, start)}<entity id="1">${many}</entity>\n${text.slice(start)}`);
    const err = await refusal(parseOfacEnhancedXml([file], {}));
    expect([err.file, err.line]).toEqual(['CONS_ENHANCED.XML', lineOf(text, '<entity ')]);
    expect(err.reason).toMatch(/^<entity> starting on this line is larger than 8 MiB \(INGEST_MAX_RECORD_SIZE\)/);
  });

  test('a 20 MB text node, comment or attribute outside any record is refused, not buffered', async () => {
    const text = fs.readFileSync(CLASSIC, 'utf8');
    const at = text.indexOf('<sdnEntry>');
    const line = lineOf(text, '<sdnEntry>');
    // The text node starts after the previous tag, at the end of the line before.
    for (const [what, junk, startLine] of [
      ['text', 'x'.repeat(20 * MiB), line - 1],
      ['comment', `<!--${'x'.repeat(20 * MiB)}-->`, line],
      ['attribute', `<junk a="${'x'.repeat(20 * MiB)}"/>`, line],
    ] as const) {
      const file = variant(`xml-node-${what}`, 'consolidated.xml', `${text.slice(0, at)}${junk}${text.slice(at)}`);
      const err = await refusal(parseOfacClassicXml([file], {}));
      expect([what, err.line, err.reason]).toEqual([what, startLine, expect.stringMatching(/text node, comment or tag longer than 8 MiB \(INGEST_MAX_RECORD_SIZE\)/)]);
    }
  });

  test('a DOCTYPE that declares entities is refused with a clear message, whether or not they are used', async () => {
    const text = fs.readFileSync(CLASSIC, 'utf8');
    const decl = text.slice(0, text.indexOf('\n') + 1);
    const rest = text.slice(decl.length);
    const laughs = '<!DOCTYPE sdnList [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n';
    const unused = variant('doctype-unused', 'consolidated.xml', decl + laughs + rest);
    const e1 = await refusal(parseOfacClassicXml([unused], {}));
    expect([e1.file, e1.line]).toEqual(['consolidated.xml', 2]);
    expect(e1.reason).toMatch(/^declares entities in its DOCTYPE \(<!ENTITY \.\.\.>\): refused/);
    const used = variant('doctype-used', 'consolidated.xml', decl + laughs + rest.replace('<lastName>', '<lastName>&lol2;'));
    expect((await refusal(parseOfacClassicXml([used], {}))).reason).toMatch(/^declares entities in its DOCTYPE/);
    // A DOCTYPE without entities (a reference to a DTD, never fetched) is harmless and still loads.
    const plain = variant('doctype-plain', 'consolidated.xml', `${decl}<!DOCTYPE sdnList SYSTEM "sdnList.dtd">\n${rest}`);
    expect((await parseOfacClassicXml([plain], {})).parties.length).toBe((await parseOfacClassicXml([CLASSIC], {})).parties.length);
  });
});

describe('values too long to index', () => {
  test('a 100 kB name (under the record cap) is cut to INGEST_MAX_VALUE_SIZE with a warning naming the record', async () => {
    const name = `CHINYONG ${'Ж'.repeat(50_000)}`; // 100,009 bytes of UTF-8
    const file = variant('csv-long-name', 'sdn.csv', sdnText.replace(CHINYONG, `"${name}"`));
    const parsed = await parseOfacCsv([file], { release: '2024-05-03' });
    const party = parsed.parties.find((p) => p.id === 'ofac-43379')!;
    expect(party.name).toBe(name);
    expect(boundValues(parsed, 4096)).toBe(1);
    expect(Buffer.byteLength(party.name)).toBe(4095); // Ж is 2 bytes: cut before a half character
    expect(name.startsWith(party.name)).toBe(true);
    expect(parsed.warnings.at(-1)).toMatch(
      new RegExp(`^1 names, aliases, addresses or identifiers were longer than 4 KiB .*: sdn\\.csv:${lineOf(sdnText, CHINYONG)} \\(ent_num 43379\\) name \\(100,009 bytes\\)$`),
    );
    expect(cutUtf8('aé', 2)).toBe('a');
  });
});

describe('encodings', () => {
  /** The real demo sdn.csv with one 'E' of a name (AEROCARIBBEAN) written as Windows-1252 0xE9 (é). */
  const cp1252 = () => {
    const bytes = fs.readFileSync(SDN);
    const at = bytes.indexOf('AEROCARIBBEAN') + 1;
    bytes[at] = 0xe9;
    return { bytes, at };
  };

  test('an OFAC CSV with a Windows-1252 byte is read as Windows-1252, with a warning naming file, line and offset', async () => {
    const { bytes, at } = cp1252();
    const file = variant('cp1252', 'sdn.csv', bytes);
    expect((await detectFormat([file])).name).toBe('ofac-csv');
    const warnings: string[] = [];
    const parsed = await parseOfacCsv([file], { release: '2024-05-03', warn: (w) => warnings.push(w) });
    expect(parsed.parties.length).toBe(14965);
    expect(parsed.parties.filter((p) => p.name.includes('\u00e9')).map((p) => p.name)).toEqual(['A\u00e9ROCARIBBEAN AIRLINES']);
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^sdn\\.csv is not UTF-8 \\(byte 0xE9 at byte offset ${at.toLocaleString('en-US')}, line ${line}\\): read as Windows-1252, the encoding a spreadsheet program`))]);
  });

  test('a CSV with UTF-8 text before a Windows-1252 byte is refused as an encoding problem, not "in no format"', async () => {
    const { bytes, at } = cp1252();
    // A UTF-8 "É" (C3 89) just before the Windows-1252 "é": no single encoding reads both.
    const mixed = Buffer.concat([bytes.subarray(0, at), Buffer.from('\u00c9', 'utf8'), bytes.subarray(at)]);
    const file = variant('mixed', 'sdn.csv', mixed);
    const err = await refusal(detectFormat([file]));
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    expect([err.file, err.line, err.reason]).toEqual([
      'sdn.csv',
      line,
      `is not valid UTF-8 (byte 0xE9 at byte offset ${(at + 2).toLocaleString('en-US')}), yet holds UTF-8 text before it: it mixes encodings or is damaged; save it again as UTF-8`,
    ]);
  });

  test('a CSV in UTF-16 is named as such', async () => {
    const text = fs.readFileSync(path.join(FIX, 'ofac-sdn-2024-05-03-excerpt.csv'), 'utf8');
    const file = variant('utf16', 'sdn.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const err = await refusal(detectFormat([file]));
    expect([err.line, err.reason]).toEqual([1, expect.stringMatching(/^is not valid UTF-8: it is UTF-16 \(byte order mark FF FE\)/)]);
  });

  describe('XML declaring another encoding', () => {
    // The ADF entry (CDe.001) of the real list alone, which Latin-1 can write (’ written as ').
    const full = fs.readFileSync(UN, 'utf8');
    const start = full.indexOf('    <ENTITY>\n', full.indexOf('</INDIVIDUALS>'));
    const entry = full.slice(start, full.indexOf('</ENTITY>', start) + '</ENTITY>\n'.length);
    const text = `${full.split('\n').slice(0, 2).join('\n')}\n  <ENTITIES>\n${entry}  </ENTITIES>\n</CONSOLIDATED_LIST>\n`.replace(/’/g, "'");
    const latin1Decl = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const accented = 'Forces D\u00e9mocratiques';
    test('bytes in the declared encoding are read as declared, with a warning', async () => {
      expect(latin1Decl).toContain(accented);
      const file = variant('xml-latin1', 'consolidated.xml', Buffer.from(latin1Decl, 'latin1'));
      const warnings: string[] = [];
      const parsed = await parseUnXml([file], { warn: (w) => warnings.push(w) });
      expect(parsed.parties.flatMap((p) => p.aliases.map((a) => a.name)).filter((n) => n.includes(accented))).toEqual(["Forces D\u00e9mocratiques Alli\u00e9es-Arm\u00e9e Nationale de Lib\u00e9ration de l'Ouganda"]);
      expect(warnings).toEqual(['consolidated.xml declares encoding="ISO-8859-1" and was read as windows-1252; the publishers write UTF-8, so check its names with accents']);
    });
    test('UTF-8 bytes under a declaration of ISO-8859-1 are refused at the first such character', async () => {
      const file = variant('xml-lying', 'consolidated.xml', Buffer.from(latin1Decl, 'utf8'));
      const err = await refusal(parseUnXml([file], {}));
      expect(err.line).toBe(lineOf(latin1Decl, '\u00e9'));
      expect(err.reason).toMatch(/^declares encoding="ISO-8859-1", but its bytes are UTF-8 .*the declaration does not match the bytes/);
    });
    test('an encoding this version cannot read is refused by name', async () => {
      const file = variant('xml-ebcdic', 'consolidated.xml', text.replace('encoding="UTF-8"', 'encoding="X-EBCDIC-FOO"'));
      const err = await refusal(parseUnXml([file], {}));
      expect([err.line, err.reason]).toEqual([1, 'declares encoding="X-EBCDIC-FOO", which this version cannot read; save the file as UTF-8']);
    });
    test('a non-UTF-8 byte in a file without a declared encoding is refused with line and byte offset', async () => {
      const file = variant('xml-undeclared', 'consolidated.xml', Buffer.from(text, 'latin1'));
      const err = await refusal(parseUnXml([file], {}));
      const offset = Buffer.from(text.slice(0, text.indexOf('\u00e9')), 'latin1').length;
      expect([err.line, err.reason]).toEqual([lineOf(text, '\u00e9'), expect.stringMatching(new RegExp(`^is not valid UTF-8 \\(byte 0xE9 at byte offset ${offset.toLocaleString('en-US')}`))]);
    });
  });
});
