/**
 * The trees streamXml builds (ingest/xml.ts): each element's children in the file's order, collected
 * in lists reused from element to element and copied at the element's close. Records and elements of
 * every size follow one another here, so a list left over from an earlier element, a count not reset,
 * or a child given to the wrong parent shows as a tree that differs from the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { streamXml, type XmlElement } from '../../ingest/xml';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xml-trees-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A record as the XML it was written from: name, attributes, text, children. */
function xmlOf(el: XmlElement): string {
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${v}"`).join('');
  return `<${el.name}${attrs}>${el.text}${el.children.map(xmlOf).join('')}</${el.name}>`;
}

async function records(xml: string): Promise<string[]> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.xml`);
  fs.writeFileSync(file, xml);
  const out: string[] = [];
  await streamXml(file, { isRecord: (p) => p.length === 2, onRecord: (el) => out.push(xmlOf(el)) });
  return out;
}

/** An element with `n` children, each with `k` leaf children of its own. */
function wide(name: string, n: number, k: number): string {
  const kid = (i: number) => `<c${i % 3} i="${i}">${Array.from({ length: k }, (_, j) => `<l>${i}.${j}</l>`).join('')}</c${i % 3}>`;
  return `<${name}>${Array.from({ length: n }, (_, i) => kid(i)).join('')}</${name}>`;
}

test('children of every element, in order, across records of different sizes', async () => {
  // Many children, then few, then none, then many again, at every depth; and a list longer than the
  // one kept for reuse (MAX_KEPT_KIDS is 1,024) before small ones.
  const recs = [wide('r', 40, 3), wide('r', 2, 0), '<r>only text</r>', wide('r', 5, 2), wide('r', 1500, 1), wide('r', 3, 4), '<r><a><b><c>deep</c></b><b></b></a><a></a></r>'];
  const got = await records(`<?xml version="1.0"?><root>${recs.join('\n')}</root>`);
  expect(got).toEqual(recs);
});

test('a leaf and an element whose children were all empty share no list with earlier elements', async () => {
  const recs = ['<r><x><y>1</y><y>2</y></x><x></x><x><y>3</y></x></r>', '<r><x></x></r>'];
  const got = await records(`<root>${recs.join('')}</root>`);
  expect(got).toEqual(recs);
});
