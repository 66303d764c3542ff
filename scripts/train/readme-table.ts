// Prints the README table of the shipped models from assets/models/*/meta.json:
//   npx tsx scripts/train/readme-table.ts
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const assets = fileURLToPath(new URL('../../assets/models/', import.meta.url));
const order = ['main', 'layernorm', 'gelu-mlp', 'mha', 'mqa', 'nope'];
const names = readdirSync(assets).sort(
  (a, b) => ((order.indexOf(a) + 99) % 99) - ((order.indexOf(b) + 99) % 99),
);
console.log(
  '| model | params | tokens | train time | wall time | tokens/s | val nats/token | val bits/char |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const n of names) {
  const f = join(assets, n, 'meta.json');
  if (!existsSync(f)) continue;
  const m = JSON.parse(readFileSync(f, 'utf8'));
  const min = (s: number) => `${(s / 60).toFixed(1)} min`;
  console.log(
    `| \`${n}\` | ${m.params.toLocaleString('en')} | ${(m.tokensSeen / 1e6).toFixed(2)}M | ${min(m.trainTimeS)} | ${min(m.wallTimeS)} | ${Math.round(m.tokensSeen / m.trainTimeS).toLocaleString('en')} | ${m.valNatsPerToken.toFixed(3)} | **${m.valBitsPerChar.toFixed(3)}** |`,
  );
}
for (const n of names) {
  const f = join(assets, n, 'meta.json');
  if (!existsSync(f)) continue;
  console.log(`\n${n}: ${JSON.parse(readFileSync(f, 'utf8')).command}`);
}
