/**
 * The explorer's copies of the server's input bounds (the client may not import server/api): the Paths
 * panel refuses more hops than the server searches, and the search box what the server would refuse.
 */
import { MAX_HOPS, MAX_QUERY_LENGTH } from '../../client/src/api';
import { LIMITS } from '../../server/api/validate';

test('max hops of the Paths panel is the server’s', () => {
  expect(MAX_HOPS).toBe(LIMITS.maxHops);
});

test('the search box takes as many characters as the server', () => {
  expect(MAX_QUERY_LENGTH).toBe(LIMITS.queryLength);
});
