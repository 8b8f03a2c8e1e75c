/** `npm run build:webapp`: builds the Mini App's page into dist/webapp and prints its size. */
import { buildWebApp } from "../src/webapp/build.js";

const files = await buildWebApp();
let total = 0;
for (const f of files) {
  total += f.bytes;
  console.log(`${f.name.padEnd(48)} ${(f.bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`${"total".padEnd(48)} ${(total / 1024).toFixed(1).padStart(8)} KiB`);
