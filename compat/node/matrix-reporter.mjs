// A node:test reporter that writes the client matrix as a Markdown table: one column per client (a describe block),
// one row per capability (a test in it), each cell passed or failed, as the run found it.
export default async function* matrix(source) {
  const clients = [];
  const results = new Map(); // capability -> Map(client -> mark)
  let pending = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const mark = event.type === 'test:pass' ? 'passes' : '**fails**';
    if (event.data.nesting === 1) pending.push([event.data.name, mark]);
    else if (event.data.nesting === 0) {
      const client = event.data.name;
      if (!clients.includes(client)) clients.push(client);
      for (const [capability, m] of pending) {
        if (!results.has(capability)) results.set(capability, new Map());
        results.get(capability).set(client, m);
      }
      pending = [];
    }
  }
  yield `| | ${clients.join(' | ')} |\n|---|${clients.map(() => '---').join('|')}|\n`;
  for (const [capability, byClient] of results) {
    yield `| ${capability} | ${clients.map((c) => byClient.get(c) ?? 'n/a').join(' | ')} |\n`;
  }
}
