// @vitest-environment node
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The inputs an app ships for `contents` (tree-shaken; the core, ky and zod external). */
async function shipped(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    external: ['sessionkeeper', 'ky', 'zod', 'zod/mini'],
    metafile: true,
  });
  const output = Object.values(result.metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {})
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([file]) => file);
}

describe('sessionkeeper/oidc', () => {
  it('is its own code and oauth4webapi: the core is imported by its public name, never copied', async () => {
    const files = await shipped("export { createOidc } from './src/oidc/index.ts';");
    expect(
      files.filter((file) => !/^src\/oidc\//.test(file) && !file.includes('oauth4webapi')),
    ).toEqual([]);
    expect(files.some((file) => file.includes('oauth4webapi'))).toBe(true);
  });
});
