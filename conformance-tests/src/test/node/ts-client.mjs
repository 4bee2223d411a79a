// Drives the Codemode server with the official TypeScript SDK client and prints one JSON object on stdout.
// Usage: node ts-client.mjs stdio '<json array: command and args>'
//        node ts-client.mjs sse|http <url>
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [kind, target] = process.argv.slice(2);
let transport;
if (kind === 'stdio') {
  const [command, ...args] = JSON.parse(target);
  transport = new StdioClientTransport({ command, args, stderr: 'ignore' });
} else if (kind === 'sse') {
  transport = new SSEClientTransport(new URL(target));
} else {
  transport = new StreamableHTTPClientTransport(new URL(target));
}
const out = { transport: kind };
const client = new Client({ name: 'codemode-ts-conformance', version: '1.0.0' });
try {
  await client.connect(transport);
  out.server = client.getServerVersion();
  const tools = (await client.listTools()).tools;
  out.tools = tools.map((t) => ({ name: t.name, annotations: t.annotations, hasOutputSchema: !!t.outputSchema }));

  const search = await client.callTool({ name: 'search', arguments: { query: 'list orders', limit: 3 } });
  out.search = { isError: !!search.isError, structuredContent: search.structuredContent };

  const progress = [];
  const execute = await client.callTool(
    { name: 'execute', arguments: { code: "const a = await api.call('listOrders', {per_page: 2});\n"
      + "const b = await api.call('listOrders', {per_page: 3, page: 2});\nreturn a.data.length + b.data.length;" } },
    undefined, { onprogress: (p) => progress.push(p), timeout: 60000 });
  out.execute = { isError: !!execute.isError, structuredContent: execute.structuredContent, progress };

  const failing = await client.callTool({ name: 'execute', arguments: { code: "throw new Error('boom')" } });
  out.failing = { isError: !!failing.isError, text: failing.content?.[0]?.text };

  // Cancellation: abort a script that never ends; the SDK sends notifications/cancelled.
  const abort = new AbortController();
  const looping = client.callTool({ name: 'execute', arguments: { code: 'while (true) {}' } }, undefined,
    { signal: abort.signal, timeout: 120000 }).then(() => 'completed', (e) => 'rejected: ' + e.message);
  await new Promise((r) => setTimeout(r, 1500));
  abort.abort('the test cancelled it');
  out.cancelled = await looping;
  const t0 = Date.now();
  const after = await client.callTool({ name: 'execute', arguments: { code: 'return 6 * 7' } }, undefined,
    { timeout: 60000 });
  out.afterCancel = { millis: Date.now() - t0, structuredContent: after.structuredContent };

  await client.ping();
  out.ping = true;
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = String(e && e.stack || e);
} finally {
  try { await client.close(); } catch (e) { /* already closed */ }
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
