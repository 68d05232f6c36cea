/**
 * The model drives the schema: the GraphQL enums of server/schema.graphql are the model's lists
 * (server/core/model.ts) and the export's formats (server/api/export.ts), name for name and in order,
 * and each value's description is the model's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { EXPORT_FORMATS } from '../../server/api/export';
import { NODE_KIND_NAMES, NODE_KINDS, PARTY_KIND_NAMES, PARTY_KINDS, REL_TYPE_NAMES, REL_TYPES } from '../../server/core/model';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'schema.graphql'), 'utf8'));

function enumOf(name: string): GraphQLEnumType {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`${name} is not an enum of the schema`);
  return type;
}
const names = (name: string) => enumOf(name).getValues().map((v) => v.name);
const descriptions = (name: string) => Object.fromEntries(enumOf(name).getValues().map((v) => [v.name, v.description]));

describe('the schema enums are the model', () => {
  test('EntityKind: the party kinds', () => {
    expect(names('EntityKind')).toEqual(PARTY_KIND_NAMES);
    expect(descriptions('EntityKind')).toEqual(Object.fromEntries(PARTY_KIND_NAMES.map((k) => [k, PARTY_KINDS[k].description])));
  });

  test('NodeKind: the party kinds and the fact kinds', () => {
    expect(names('NodeKind')).toEqual(NODE_KIND_NAMES);
    expect(descriptions('NodeKind')).toEqual(Object.fromEntries(NODE_KIND_NAMES.map((k) => [k, NODE_KINDS[k].description])));
  });

  test('RelationType: the relationship types', () => {
    expect(names('RelationType')).toEqual(REL_TYPE_NAMES);
    expect(descriptions('RelationType')).toEqual(Object.fromEntries(REL_TYPE_NAMES.map((t) => [t, REL_TYPES[t].description])));
  });

  test('ExportFormat: the export formats', () => {
    expect(names('ExportFormat')).toEqual([...EXPORT_FORMATS]);
  });

  test('arguments and fields that name a kind or relationship type use the enums', () => {
    const query = schema.getQueryType()!.getFields();
    const argType = (field: string, arg: string) => String(query[field].args.find((a) => a.name === arg)!.type);
    expect(argType('search', 'kinds')).toBe('[EntityKind!]');
    for (const field of ['neighborhood', 'subgraph', 'paths']) expect(argType(field, 'relationTypes')).toBe('[RelationType!]');
    const fieldType = (type: string, field: string) => String((schema.getType(type) as { getFields(): Record<string, { type: unknown }> }).getFields()[field].type);
    expect(fieldType('Entity', 'kind')).toBe('EntityKind!');
    expect(fieldType('PossibleMatch', 'kind')).toBe('EntityKind!');
    expect(fieldType('GraphNode', 'kind')).toBe('NodeKind!');
    expect(fieldType('GraphEdge', 'type')).toBe('RelationType!');
  });
});
