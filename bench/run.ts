// `npm run bench`: runs every bench/*.bench.ts module in name order and prints a table of
// medians. Benchmarks are measurements, never pass/fail tests. Each module default-exports
// an async function that receives a `report` callback.
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchModule, BenchRow } from './report.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
const report = (row: BenchRow) => {
  rows.push(row);
  console.log(
    `${row.name.padEnd(48)} ${String(row.median).padStart(12)} ${row.unit}${row.note ? `  (${row.note})` : ''}`,
  );
};

const cpu = cpus();
console.log(`machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, Node ${process.version}`);
for (const f of files) {
  console.log(`\n# ${f}`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as BenchModule;
  try {
    await mod.default(report);
  } catch (err) {
    console.log(`  failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
