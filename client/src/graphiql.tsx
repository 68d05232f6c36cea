/**
 * The offline GraphQL IDE at GET /graphql (in a browser): GraphiQL bundled with the explorer's build, so
 * it needs nothing from the internet (Apollo's default landing page loads its UI from a CDN).
 */
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

const fetcher = createGraphiQLFetcher({ url: `${window.location.origin}/graphql` });

const EXAMPLE = `# sanctions-graph GraphQL API: Ctrl-Enter runs the query; the Docs panel lists every field.
query Chinyong {
  search(query: "chinyong", first: 3) {
    total
    hits { score matchedName entity { id name kind programs } }
  }
  neighborhood(ids: ["ofac-43379"], depth: 1, limit: 20) {
    truncated
    nodes { id kind label degree }
    edges { source target type label }
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(<GraphiQL fetcher={fetcher} defaultQuery={EXAMPLE} />);
