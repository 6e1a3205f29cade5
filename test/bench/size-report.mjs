// Where the bytes of the `sessionkeeper` entry go: minified bytes per src folder, and the total
// minified and brotli size (ky and zod external), the same build size-limit measures.
// Run: npm run size:report
import { brotliCompressSync } from 'node:zlib';
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  external: ['ky', 'zod', 'zod/mini'],
  metafile: true,
});
const output = result.outputFiles[0].contents;
const groups = {};
for (const [file, { bytesInOutput }] of Object.entries(
  Object.values(result.metafile.outputs)[0].inputs,
)) {
  const folder = file.match(/^src\/([^/]+)\//)?.[1] ?? 'core';
  groups[folder] = (groups[folder] ?? 0) + bytesInOutput;
}
console.log(`total: ${output.length} B minified, ${brotliCompressSync(output).length} B brotli`);
for (const [folder, bytes] of Object.entries(groups).sort((a, b) => b[1] - a[1])) {
  console.log(`  ${folder.padEnd(8)} ${String(bytes).padStart(6)} B minified`);
}
