/**
 * A wallet's chain reaches its normalisation in every parser: the source's label ("Digital Currency
 * Address - ETH"; FtM's `currency`) goes to identifierRecord, which reads an EVM address written without
 * its 0x as the same wallet (server/core/text/normalize.ts walletChain). Real records: the SDN entries of
 * the 2025-05-16 subset with ETH, XBT, LTC and DASH wallets (LIFSHITS, Artem Mikhaylovich: two ETH
 * addresses), restated in each format; the ETH addresses once as OFAC writes them (0x...) and once as
 * other sources write them (bare hex), which must give the same identifier keys.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOfacCsv } from '../../ingest/sources/ofac-csv';
import { parseOfacClassicXml } from '../../ingest/sources/ofac-classic-xml';
import { parseFtm } from '../../ingest/sources/ftm';
import { identifierRecord } from '../../server/core/text/normalize';
import type { IdentifierFact } from '../../server/core/model';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SUBSET = path.join(FIXTURES, 'ofac-sdn-csv-subset-2025-05-16');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-wallet-chain-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The real SDN lines holding wallets, as statements: [ent_num, label, address]. */
function realWallets(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const line of fs.readFileSync(path.join(SUBSET, 'sdn.csv'), 'utf8').split(/\r?\n/)) {
    const ent = /^(\d+),/.exec(line)?.[1];
    for (const m of line.matchAll(/(Digital Currency Address - [A-Z0-9]+) (\w+)/g)) out.push([ent!, m[1], m[2]]);
  }
  return out;
}
const bare = (address: string) => address.replace(/^0x/, '');
const wallets = (ids: IdentifierFact[]) => ids.filter((i) => i.identifier.type === 'cryptoWallet').map((i) => i.identifier.key).sort();

test('the real wallets: ETH ones written with 0x', () => {
  const real = realWallets();
  expect(real.filter(([, label]) => label.endsWith('- ETH')).map(([, , a]) => a.slice(0, 2))).toEqual(['0x', '0x']);
  expect(new Set(real.map(([, l]) => l.split(' - ')[1]))).toEqual(new Set(['XBT', 'ETH', 'LTC', 'DASH']));
});

test('OFAC CSV: an ETH address without its 0x is the same wallet', async () => {
  const dir = path.join(tmp, 'csv');
  fs.mkdirSync(dir);
  for (const f of ['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv']) {
    fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(SUBSET, f), 'utf8').replace(/(Digital Currency Address - ETH) 0x/g, '$1 '));
  }
  const asOfac = await parseOfacCsv(['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'].map((f) => path.join(SUBSET, f)), { release: '2025-05-16' });
  const asBare = await parseOfacCsv(['sdn.csv', 'add.csv', 'alt.csv', 'sdn_comments.csv'].map((f) => path.join(dir, f)), { release: '2025-05-16' });
  // The subset's wallets, those of sdn_comments.csv continuations included; ETH ones among them.
  expect(wallets(asOfac.identifiers).length).toBeGreaterThanOrEqual(realWallets().length);
  expect(wallets(asOfac.identifiers).filter((k) => k.startsWith('cryptoWallet:0x')).length).toBeGreaterThanOrEqual(2);
  expect(wallets(asBare.identifiers)).toEqual(wallets(asOfac.identifiers));
  // Every wallet's key is the one its label gives.
  for (const i of asBare.identifiers.filter((x) => x.identifier.type === 'cryptoWallet')) {
    expect(i.identifier.key).toBe(identifierRecord('cryptoWallet', i.identifier.value, null, i.label).key);
  }
});

test('OFAC classic XML (and ENHANCED, which shares its identifier code): the idType names the chain', async () => {
  // The real wallets of the subset as the classic format lists them: idList/id with idType = the label.
  const real = realWallets();
  const xml = (addr: (a: string) => string) => {
    const byEnt = new Map<string, [string, string][]>();
    for (const [ent, label, a] of real) byEnt.set(ent, [...(byEnt.get(ent) ?? []), [label, addr(a)]]);
    const entries = [...byEnt].map(
      ([ent, ids], k) =>
        `<sdnEntry><uid>${ent}</uid><lastName>ENTRY ${ent}</lastName><sdnType>Individual</sdnType><programList><program>CYBER2</program></programList>` +
        `<idList>${ids.map(([label, a], j) => `<id><uid>${k * 100 + j + 1}</uid><idType>${label}</idType><idNumber>${a}</idNumber></id>`).join('')}</idList></sdnEntry>`,
    );
    return `<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://tempuri.org/sdnList.xsd">` +
      `<publshInformation><Publish_Date>05/16/2025</Publish_Date><Record_Count>${byEnt.size}</Record_Count></publshInformation>${entries.join('')}</sdnList>\n`;
  };
  fs.writeFileSync(path.join(tmp, 'as-ofac.xml'), xml((a) => a));
  fs.writeFileSync(path.join(tmp, 'as-bare.xml'), xml(bare));
  const asOfac = await parseOfacClassicXml([path.join(tmp, 'as-ofac.xml')], {});
  const asBare = await parseOfacClassicXml([path.join(tmp, 'as-bare.xml')], {});
  expect(wallets(asOfac.identifiers)).toHaveLength(real.length);
  expect(wallets(asBare.identifiers)).toEqual(wallets(asOfac.identifiers));
});

test("FtM: a CryptoWallet's currency names the chain", async () => {
  const real = realWallets().filter(([, label]) => label.endsWith('- ETH'));
  const lines = (addr: (a: string) => string) =>
    [
      JSON.stringify({ id: 'ofac-29702', schema: 'Person', properties: { name: ['LIFSHITS, Artem Mikhaylovich'], topics: ['sanction'] } }),
      ...real.map(([, , a], k) => JSON.stringify({ id: `wallet-${k}`, schema: 'CryptoWallet', properties: { publicKey: [addr(a)], currency: ['ETH'], holder: ['ofac-29702'] } })),
    ].join('\n') + '\n';
  for (const [name, addr] of [['ofac', (a: string) => a], ['bare', bare]] as const) {
    fs.mkdirSync(path.join(tmp, `ftm-${name}`));
    fs.writeFileSync(path.join(tmp, `ftm-${name}`, 'entities.ftm.json'), lines(addr));
  }
  const asOfac = await parseFtm([path.join(tmp, 'ftm-ofac', 'entities.ftm.json')], { release: '2025-05-16', dataset: 'wallets' });
  const asBare = await parseFtm([path.join(tmp, 'ftm-bare', 'entities.ftm.json')], { release: '2025-05-16', dataset: 'wallets' });
  expect(wallets(asOfac.identifiers)).toHaveLength(2);
  expect(wallets(asBare.identifiers)).toEqual(wallets(asOfac.identifiers));
});
