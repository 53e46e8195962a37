// Runs the graphql-http conformance audit (GraphQL over HTTP) against a running server.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
// Prints one line per check that did not pass and a summary; exits 1 unless there are
// no errors and no warnings.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    let detail = result.reason;
    if (result.response) {
      const body = await result.response.text().catch(() => '');
      detail += ` (status ${result.response.status}: ${body.slice(0, 200)})`;
    }
    console.log(`${result.status} ${result.id} ${result.name}: ${detail}`);
  }
}
console.log(JSON.stringify({ total: results.length, ...counts }));
process.exit(counts.error === 0 && counts.warn === 0 ? 0 : 1);
