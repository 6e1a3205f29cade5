// @vitest-environment node
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Bundle `contents` as an app would (tree-shaken, ky and zod external): the inputs that ship. */
async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    external: ['ky', 'zod', 'zod/mini'],
    metafile: true,
  });
  const output = Object.values(result.metafile.outputs)[0];
  const shipped = Object.entries(output?.inputs ?? {})
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([file]) => file);
  return { shipped, text: result.outputFiles[0]?.text ?? '' };
}

describe('pay only for the jobs you use', () => {
  it('import { createSession } alone pulls in no idle, drafts, oidc or dpop code', async () => {
    const { shipped, text } = await bundle(
      "import { createSession } from './src/index.ts'; console.log(createSession);",
    );
    expect(shipped.filter((file) => /^src\/(idle|drafts|oidc|dpop)\//.test(file))).toEqual([]);
    expect(shipped.filter((file) => /node_modules\/(oauth4webapi|dpop)\//.test(file))).toEqual([]);
    expect(shipped).toContain('src/core/session.ts'); // (the bundle did find the core)
    // Neither module's own code: the activity listeners, the form attachment.
    expect(text).not.toContain('last-activity');
    expect(text).not.toContain('MutationObserver');
  });

  it('each module pulls in its own code, and of the core only the connection key', async () => {
    const idle = await bundle("export { createIdleTimer } from './src/idle/index.ts';");
    const drafts = await bundle("export { createDraftStore } from './src/drafts/index.ts';");
    for (const { shipped } of [idle, drafts]) {
      expect(shipped.filter((file) => file.startsWith('src/core/'))).toEqual([
        'src/core/modules.ts',
      ]);
      expect(
        shipped.filter((file) => /^src\/(tabs|refresh|queue|http|tokens)\//.test(file)),
      ).toEqual([]);
    }
    expect(drafts.shipped.some((file) => file.startsWith('src/idle/'))).toBe(false);
    expect(idle.shipped.some((file) => file.startsWith('src/drafts/'))).toBe(false);
  });

  it('sessionkeeper/dpop pulls in its own code, the proof library, and of the core the connection key', async () => {
    const { shipped } = await bundle("export { createDpop } from './src/dpop/index.ts';");
    expect(shipped.filter((file) => file.startsWith('src/core/'))).toEqual(['src/core/modules.ts']);
    expect(shipped.filter((file) => /^src\/(http|tabs|refresh|queue|tokens)\//.test(file))).toEqual(
      [],
    );
    expect(shipped.some((file) => /^src\/(idle|drafts|oidc)\//.test(file))).toBe(false);
    expect(shipped.some((file) => file.includes('node_modules/dpop/'))).toBe(true);
  });
});
