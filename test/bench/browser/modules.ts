/** The module of each line of an unminified bundle: rolldown starts each with `// <path>`. */
export function moduleLines(bundle: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  for (const [line, text] of bundle.split('\n').entries()) {
    const match = /^\/\/ (\S+\.(?:m?js|ts|tsx))$/.exec(text);
    if (match) starts.push({ line, module: match[1]! });
  }
  return (line) => {
    let found = '(bundle prelude)';
    for (const start of starts) {
      if (start.line > line) break;
      found = start.module;
    }
    return found;
  };
}

/** zod, ky, sessionkeeper (`src/…`), the bench page, or the path. */
export function libraryOf(module: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module);
  if (pkg) return pkg[1]!;
  if (/(^|\/)src\//.test(module)) return 'sessionkeeper';
  if (module.includes('test/bench/')) return 'bench page';
  return module;
}

/** The libraries of a sessionkeeper app: itself and its dependencies. */
export const LIBRARIES = new Set(['sessionkeeper', 'zod', 'ky']);

export const sourcePath = (module: string) => module.replace(/^.*?(^|\/)src\//, 'src/');
