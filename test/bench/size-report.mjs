// Where the bytes of each entry go: minified bytes per src folder, and the total minified and
// gzip -9 size (ky, zod and react external), the same build size-limit measures.
// Run: npm run size:report
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ENTRIES = {
  'sessionkeeper { createSession }': "export { createSession } from './src/index.ts';",
  'sessionkeeper/idle': "export * from './src/idle/index.ts';",
  'sessionkeeper/drafts': "export * from './src/drafts/index.ts';",
  'sessionkeeper/react': "export * from './src/react/index.ts';",
};

for (const [name, contents] of Object.entries(ENTRIES)) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    external: ['ky', 'zod', 'zod/mini', 'react', 'sessionkeeper'],
    metafile: true,
  });
  const output = result.outputFiles[0].contents;
  const groups = {};
  for (const [file, { bytesInOutput }] of Object.entries(
    Object.values(result.metafile.outputs)[0].inputs,
  )) {
    const folder = file.match(/^src\/([^/]+)\//)?.[1] ?? file;
    groups[folder] = (groups[folder] ?? 0) + bytesInOutput;
  }
  const gzip = gzipSync(output, { level: 9 }).length;
  console.log(`${name}: ${output.length} B minified, ${gzip} B gzip`);
  for (const [folder, bytes] of Object.entries(groups).sort((a, b) => b[1] - a[1])) {
    if (bytes > 0) console.log(`  ${folder.padEnd(8)} ${String(bytes).padStart(6)} B minified`);
  }
}
