import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    idle: 'src/idle/index.ts',
    drafts: 'src/drafts/index.ts',
    react: 'src/react/index.ts',
    oidc: 'src/oidc/index.ts',
    dpop: 'src/dpop/index.ts',
  },
  format: ['esm'],
  target: 'es2022',
  platform: 'browser',
  // TypeScript 6 deprecates options tsup's d.ts build still passes.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  external: [/^ky(\/|$)/, /^zod(\/|$)/, /^react(\/|$)/, /^react-dom(\/|$)/, /^sessionkeeper(\/|$)/],
});
