// A node:test reporter that records the client matrix: one line per test, `client TAB capability TAB passes|fails`,
// the client being its describe block and the capability the test in it. compat/matrix writes the table from these
// lines and the Java clients' (target/client-matrix/ of each Maven module).
export default async function* matrix(source) {
  let pending = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // a skipped test has not passed
    const outcome = event.type === 'test:pass' && !event.data.skip && !event.data.todo ? 'passes' : 'fails';
    if (event.data.nesting === 1) pending.push([event.data.name, outcome]);
    else if (event.data.nesting === 0) {
      for (const [capability, o] of pending) yield `${event.data.name}\t${capability}\t${o}\n`;
      pending = [];
    }
  }
}
