/**
 * The pure parts of the table-like exports (export-formats.ts): how a CSV field is written. The formats
 * written from a real subgraph (pauses, byte order marks, XML escaping, program names) are tested against
 * the real Neo4j in test/integration/export-formats.int.test.ts.
 */
import { csvField } from '../../server/api/export-formats';

test('formula-like text is marked, E.164 phone numbers are kept as the source states them', () => {
  expect(['+79161234567', '+44 20 7946 0958', '=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '+'].map(csvField)).toEqual([
    '+79161234567',
    '+44 20 7946 0958',
    `"'=HYPERLINK(""http://x"")"`,
    "'+1+2",
    "'-2+3",
    "'@SUM(A1)",
    "'+",
  ]);
});
