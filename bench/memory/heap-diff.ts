/**
 * Where a connection's bytes go: reads two heap snapshots (V8's .heapsnapshot JSON) and prints the
 * object kinds (node type and constructor or name) whose count and self size grew between them,
 * divided by N, largest first. Self size only: what each object itself occupies, so the rows add
 * up to the heap growth instead of counting shared objects once per retainer.
 *
 *   npx tsx bench/memory/heap-diff.ts base.heapsnapshot after.heapsnapshot 2000 [rows]
 */
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Tally = Map<string, { count: number; bytes: number }>;

function tally(file: string): Tally {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const typeNames = snap.snapshot.meta.node_types[0];
  const out: Tally = new Map();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = typeNames[snap.nodes[i + typeAt]!]!;
    // Strings and code are grouped by type alone: their names are their contents.
    const name = type === 'object' || type === 'closure' || type === 'native' || type === 'hidden' || type === 'array' ? snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60) : '';
    const key = `${type} ${name}`;
    const row = out.get(key) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, row);
  }
  return out;
}

const [baseFile, afterFile, nText, rowsText] = process.argv.slice(2);
const n = Number(nText);
const base = tally(baseFile!);
const after = tally(afterFile!);
const rows = [...after].map(([key, row]) => {
  const was = base.get(key) ?? { count: 0, bytes: 0 };
  return { key, perConnection: (row.count - was.count) / n, bytesPerConnection: (row.bytes - was.bytes) / n };
});
rows.sort((a, b) => b.bytesPerConnection - a.bytesPerConnection);
const total = rows.reduce((sum, row) => sum + row.bytesPerConnection, 0);
console.log(`self size growth per connection: ${Math.round(total)} bytes`);
for (const row of rows.slice(0, Number(rowsText ?? 40))) {
  console.log(`${String(Math.round(row.bytesPerConnection)).padStart(6)} B  ${row.perConnection.toFixed(2).padStart(6)} x  ${row.key}`);
}
