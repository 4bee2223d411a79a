// Drives stateless Streamable HTTP (behind a load balancer) with the official TypeScript SDK client: saves a skill,
// finds it with search, runs it several times, reads its detail. Prints one JSON object on stdout.
// Usage: CODEMODE_TOKEN=... node ts-skills-client.mjs <url>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url] = process.argv.slice(2);
const headers = { Authorization: 'Bearer ' + process.env.CODEMODE_TOKEN };
const out = { runs: [] };
const client = new Client({ name: 'codemode-ts-skills', version: '1.0.0' });
const call = async (name, args) => {
  const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 60000 });
  return { isError: !!r.isError, structuredContent: r.structuredContent };
};
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  out.tools = (await client.listTools()).tools.map((t) => t.name);
  out.save = await call('execute', { code: "return await skills.save({name: 'ordersPerStatus', description: "
    + "'Count the orders on the first page per status', params: {type: 'object', properties: {perPage: "
    + "{type: 'integer'}}}, code: \"const r = await api.call('listOrders', {per_page: args.perPage ?? 50}); "
    + "const n = {}; for (const o of r.data) n[o.status] = (n[o.status] || 0) + 1; return n;\"});" });
  out.search = await call('search', { query: 'orders per status', limit: 4 });
  for (let i = 0; i < 4; i++) {
    out.runs.push(await call('execute', { code: "return await skills.run('ordersPerStatus', {perPage: 20});" }));
  }
  out.detail = await call('search', { detail: 'skill:ordersPerStatus' });
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = String(e && e.stack || e);
} finally {
  try { await client.close(); } catch (e) { /* stateless: nothing to close */ }
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
