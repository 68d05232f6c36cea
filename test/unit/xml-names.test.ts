/**
 * Element and attribute names as streamXml hands them over (ingest/xml.ts, Names): local names
 * (prefix removed), the same whether a name was met before or not, whether its table slot was taken by
 * another name of the same length and end characters, and past the number of names a file's table keeps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { streamXml, type XmlElement } from '../../ingest/xml';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xml-names-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The records' element names, depth first, and their attributes' names, as streamXml hands them over. */
async function namesIn(xml: string): Promise<string[]> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.xml`);
  fs.writeFileSync(file, xml);
  const out: string[] = [];
  const walk = (el: XmlElement) => {
    out.push([el.name, ...Object.keys(el.attrs)].join(' '));
    for (const c of el.children) walk(c);
  };
  await streamXml(file, { isRecord: (p) => p.length === 2, onRecord: walk });
  return out;
}

test('prefixes are removed, and names that share a slot or come back are each their own', async () => {
  // AB_C and AX_C differ only in a character the slot is not chosen by: they take turns in one slot.
  const rec = '<r><x:AB_C y:k="1" z="2"><AX_C/><AB_C/></x:AB_C><ABBC/><AX_C k="3"/></r>';
  const got = await namesIn(`<?xml version="1.0"?><root xmlns:x="u" xmlns:y="v">${rec}${rec}</root>`);
  const one = ['r', 'AB_C k z', 'AX_C', 'AB_C', 'ABBC', 'AX_C k'];
  expect(got).toEqual([...one, ...one]);
});

test('a file naming more elements than the table keeps: every name is still right', async () => {
  const n = 12_000; // MAX_NAMES is 10,000
  const body = Array.from({ length: n }, (_, i) => `<e${i} a${i % 7}="v"/>`).join('');
  const got = await namesIn(`<root><r>${body}</r><r>${body}</r></root>`);
  const one = ['r', ...Array.from({ length: n }, (_, i) => `e${i} a${i % 7}`)];
  expect(got).toEqual([...one, ...one]);
});
