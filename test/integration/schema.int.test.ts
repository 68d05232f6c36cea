/**
 * The schema (cypher/schema.cypher) is applied on every start and before every load; when all of it is in
 * place and online that is one read, and whatever is missing is made again.
 */
import { Database, schemaNames } from '../../server/core/neo4j/database';
import { resetDatabase, testDatabase } from '../helpers';

let db: Database;
beforeAll(async () => {
  db = testDatabase();
  await resetDatabase(db);
});
afterAll(async () => {
  await db.applySchema();
  await db.close();
});

const online = async () => (await db.read<{ online: number }>('schema-online', { names: schemaNames() }))[0].online;
const indexNames = async () => (await db.runWrite<{ name: string }>('SHOW INDEXES YIELD name RETURN name')).map((r) => r.name);

test('every constraint and index schema.cypher names is found online under that name', async () => {
  const names = schemaNames();
  expect(new Set(names).size).toBe(names.length);
  expect(await online()).toBe(names.length);
  expect(await indexNames()).toEqual(expect.arrayContaining(names));
});

test('with everything online, applying the schema writes nothing', async () => {
  const writes = jest.spyOn(db, 'runWrite');
  try {
    await db.applySchema();
    expect(writes).not.toHaveBeenCalled();
  } finally {
    writes.mockRestore();
  }
});

test('when the check cannot be made, the schema is applied as before', async () => {
  const read = jest.spyOn(db, 'read').mockRejectedValueOnce(new Error('not allowed to list indexes'));
  const writes = jest.spyOn(db, 'runWrite');
  try {
    await db.applySchema();
    expect(read).toHaveBeenCalledWith('schema-online', expect.anything());
    expect(writes).toHaveBeenCalledTimes(schemaNames().length + 1);
  } finally {
    read.mockRestore();
    writes.mockRestore();
  }
});

test('a dropped index and a dropped constraint are made again', async () => {
  await db.runWrite('DROP INDEX address_country');
  await db.runWrite('DROP CONSTRAINT release_id');
  expect(await indexNames()).not.toEqual(expect.arrayContaining(['address_country']));
  expect(await online()).toBe(schemaNames().length - 2);
  await db.applySchema();
  expect(await online()).toBe(schemaNames().length);
  const constraints = (await db.runWrite<{ name: string }>('SHOW CONSTRAINTS YIELD name RETURN name')).map((r) => r.name);
  expect(constraints).toContain('release_id');
});
