/** Stops the Neo4j of the test run. */
import type { Neo4jEndpoint } from '../server/core/neo4j/embedded';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __neo4j?: Neo4jEndpoint }).__neo4j?.stop();
}
