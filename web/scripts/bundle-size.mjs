// Prints the gzipped size of what the first page load fetches (index.html, its scripts, module
// preloads and stylesheets) and fails above the budget (issue 4: < 300 KB of JS gzipped).
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const budget = 300 * 1024;
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) {
  console.log(`SKIP: no ${indexPath} (run npm run build in web/)`);
  process.exit(77);
}
const html = readFileSync(indexPath, 'utf8');
const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1].replace(/^\.?\//, ''));
let js = 0;
let css = 0;
for (const ref of refs) {
  const body = readFileSync(join(dist, ref));
  const gz = gzipSync(body, { level: 9 }).length;
  console.log(`${ref}: ${body.length} B raw, ${gz} B gzip`);
  if (ref.endsWith('.js')) js += gz;
  else css += gz;
}
console.log(`initial load: ${js} B of JS gzipped (${(js / 1024).toFixed(1)} KB), ${css} B of CSS gzipped; budget ${budget / 1024} KB of JS`);
if (js === 0) {
  console.error('no script found in index.html');
  process.exit(1);
}
process.exit(js <= budget ? 0 : 1);
