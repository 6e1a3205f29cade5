import type { Browser } from '../../e2e/helpers/browser';
import { libraryOf, moduleLines, sourcePath } from './modules';
import type { BenchServer } from './server';
import { openTab } from './tabs';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where a new tab's start-up time goes, from a CPU profile of the library's part of it. */
export interface StartupProfile {
  /** Sampled time in ms: in all, and with `createSession` on the stack. */
  total: number;
  createSession: number;
  /** Self time by library (zod, ky, sessionkeeper, the bench page, V8/Blink/GC/idle). */
  byLibrary: Record<string, number>;
  /** Time with each sessionkeeper function on the stack (inclusive), the largest ones. */
  inclusive: Record<string, number>;
  /** Self time by function (`module function`). */
  self: Record<string, number>;
}

/**
 * Open the unminified bare page, then import the bench page's entry into it (its modules,
 * `createSession`, the session taken from the open tabs) under the CPU profiler, sampling every
 * 50 µs (which slows the page down: the shares count, not the absolute times).
 */
export async function profileStartup(
  server: BenchServer,
  browser: Browser,
): Promise<StartupProfile> {
  const page = await openTab(browser, server.page('raw', 'bare'));
  const cdp = await browser.context.newCDPSession(page);
  try {
    const entry = server.entryScript('raw');
    const lineModule = moduleLines(await server.readAsset('raw', entry));
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    // A string: the test runner would rewrite an `import()` in a function's source.
    await page.evaluate(
      `import(${JSON.stringify(entry)}).then(() => window.__bench.ready)` +
        ".then(() => window.__bench.whenStatus('authenticated'))",
    );
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] };
    };

    const parent = new Map<number, number>();
    const byId = new Map<number, CpuNode>();
    for (const node of profile.nodes) {
      byId.set(node.id, node);
      for (const child of node.children ?? []) parent.set(child, node.id);
    }
    /** The nearest caller in the bundle (the build's runtime helpers are in a chunk of their own). */
    const callerInBundle = (id: number) => {
      for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
        const node = byId.get(up)!;
        if (node.callFrame.url === entry) return node;
      }
      return undefined;
    };
    const nameOf = (id: number) => {
      const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
      if (url !== entry) return { library: functionName || '(V8/Blink)', name: functionName };
      const module = lineModule(lineNumber);
      const file = sourcePath(module).replace(/^.*node_modules\//, '');
      // The build wraps each module's top level in an anonymous function called by `init_<module>`.
      const body =
        functionName === '' && callerInBundle(id)?.callFrame.functionName.startsWith('init_');
      const label = body ? '(module top level)' : functionName || '(anonymous)';
      return {
        library: libraryOf(module),
        name: `${file} ${label}`,
        init: functionName.startsWith('init_'),
      };
    };
    const result: StartupProfile = {
      total: 0,
      createSession: 0,
      byLibrary: {},
      inclusive: {},
      self: {},
    };
    const add = (record: Record<string, number>, key: string, ms: number) => {
      record[key] = (record[key] ?? 0) + ms;
    };
    for (const [i, sample] of profile.samples.entries()) {
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      if (!byId.has(sample)) continue;
      const own = nameOf(sample);
      if (own.library === '(idle)') continue;
      result.total += ms;
      add(result.byLibrary, own.library, ms);
      add(result.self, own.name, ms);
      const seen = new Set<string>();
      for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
        const frame = nameOf(id);
        if (frame.library !== 'sessionkeeper' || frame.init || seen.has(frame.name)) continue;
        seen.add(frame.name);
        add(result.inclusive, frame.name, ms);
        if (frame.name.endsWith(' createSession')) result.createSession += ms;
      }
    }
    return result;
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
}
