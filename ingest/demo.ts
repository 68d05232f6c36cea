/** The bundled demo data (see ingest/demo/README.md), loaded by `npm start` into an empty database. */
import path from 'node:path';

export const DEMO_LOADS = [
  { paths: [path.join(__dirname, 'demo', 'ofac-sdn-2024-05-03', 'sdn.csv')], dataset: 'ofac-sdn', release: '2024-05-03' },
  // Its publication date is inside the file (dateGenerated).
  { paths: [path.join(__dirname, 'demo', 'un-sc-2025-11-18', 'consolidated.xml')] },
];
