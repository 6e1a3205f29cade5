import type { CDPSession, Page } from 'playwright-core';
import type { Browser } from '../../e2e/helpers/browser';
import { LIBRARIES, libraryOf, moduleLines, sourcePath } from './modules';
import type { BenchServer } from './server';
import { openTab, waitForStatus } from './tabs';

/** The page kinds whose heap is compared. */
export type HeapPage = 'bare' | 'imported' | 'signed-in';

/** Used JS heap after two full collections, in bytes (`Runtime.getHeapUsage().usedSize`). */
async function usedHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Open a tab of `kind` (the bare page, the bench page with the library imported but no session,
 * or the bench page signed in from the open tabs), and read its used heap after a full GC.
 */
export async function heapOfTab(
  server: BenchServer,
  browser: Browser,
  kind: HeapPage,
): Promise<number> {
  const url =
    kind === 'bare'
      ? server.page('min', 'bare')
      : server.page('min', 'index', kind === 'imported' ? '?create=0' : '');
  const page = await openTab(browser, url);
  try {
    if (kind === 'signed-in') await waitForStatus(page, 'authenticated');
    const cdp = await browser.context.newCDPSession(page);
    const used = await usedHeap(cdp);
    await cdp.detach();
    return used;
  } finally {
    await page.close();
  }
}

/** `record[key]`, made by `make` when missing. */
function getOrMake<T>(record: Record<string, T>, key: string, make: () => T): T {
  const found = record[key];
  if (found !== undefined) return found;
  const made = make();
  record[key] = made;
  return made;
}

/** The index of the last element that matches (-1: none). */
function lastIndex<T>(array: readonly T[], matches: (element: T) => boolean): number {
  for (let i = array.length - 1; i >= 0; i--) if (matches(array[i]!)) return i;
  return -1;
}

interface SnapshotNode {
  type: string;
  name: string;
  size: number;
}

/** The nodes of a heap snapshot by id. */
async function takeSnapshot(cdp: CDPSession): Promise<Map<number, SnapshotNode>> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const { snapshot, nodes, strings } = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [type, name, id, size] = ['type', 'name', 'id', 'self_size'].map((f) => fields.indexOf(f));
  const byId = new Map<number, SnapshotNode>();
  for (let i = 0; i < nodes.length; i += fields.length) {
    byId.set(nodes[i + id!]!, {
      type: types[nodes[i + type!]!] ?? '?',
      name: strings[nodes[i + name!]!] ?? '?',
      size: nodes[i + size!]!,
    });
  }
  return byId;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Where the heap of a signed-in tab goes, from one tab that imported the library and signed in. */
export interface HeapAttribution {
  /** Used heap of the bare page, and after the import and sign-in, in bytes. */
  before: number;
  after: number;
  /** Live sampled allocations (sampled every 32 bytes: about all of them), in bytes. */
  sampled: number;
  /** By the library whose code allocated (zod, ky, sessionkeeper, V8/DOM, …). */
  byAllocator: Record<string, number>;
  /** By the innermost sessionkeeper source line that led to the allocation. */
  bySource: Record<string, { total: number; by: Record<string, number> }>;
  /** By phase: while the modules were evaluated, or by `createSession` and after. */
  byPhase: Record<string, number>;
  /**
   * New heap-snapshot nodes by kind (V8's node type), and by kind and name (top ones); script
   * sources (external strings, outside the used JS heap) left out.
   */
  snapshotByType: Record<string, number>;
  snapshotByName: Record<string, { size: number; count: number }>;
}

/**
 * Open the unminified bare page, then import the bench page's entry into it (the library's
 * modules, `createSession`, the session taken from the open tabs) under the sampling heap
 * profiler, and diff heap snapshots taken before and after. Every figure is of live objects after
 * a full GC.
 */
export async function attributeHeap(
  server: BenchServer,
  browser: Browser,
): Promise<HeapAttribution> {
  const page: Page = await openTab(browser, server.page('raw', 'bare'));
  const cdp = await browser.context.newCDPSession(page);
  try {
    const entry = server.entryScript('raw');
    const lineModule = moduleLines(await server.readAsset('raw', entry));
    await cdp.send('HeapProfiler.enable');
    const before = await usedHeap(cdp);
    const snapshotBefore = await takeSnapshot(cdp);
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: 32 });
    // A string: the test runner would rewrite an `import()` in a function's source.
    await page.evaluate(
      `import(${JSON.stringify(entry)}).then(() => window.__bench.ready)` +
        ".then(() => window.__bench.whenStatus('authenticated'))",
    );
    const after = await usedHeap(cdp);
    const { profile } = (await cdp.send('HeapProfiler.getSamplingProfile')) as unknown as {
      profile: { head: ProfileNode };
    };
    await cdp.send('HeapProfiler.stopSampling');
    const snapshotAfter = await takeSnapshot(cdp);

    const byAllocator: Record<string, number> = {};
    const bySource: HeapAttribution['bySource'] = {};
    const byPhase: Record<string, number> = {};
    let sampled = 0;
    const add = (record: Record<string, number>, key: string, size: number) => {
      record[key] = (record[key] ?? 0) + size;
    };
    const walk = (node: ProfileNode, stack: ProfileNode['callFrame'][]) => {
      const frames = [...stack, node.callFrame];
      if (node.selfSize > 0) {
        const inBundle = frames
          .filter((frame) => frame.url === entry)
          .map((frame, i, all) => ({
            frame,
            module: lineModule(frame.lineNumber),
            // The build wraps each module's top level in an anonymous function called by
            // `init_<module>` (rolldown's strictExecutionOrder).
            body:
              frame.functionName === '' && all[i - 1]?.functionName.startsWith('init_') === true,
          }));
        const leaf = inBundle.at(-1);
        const allocator = leaf ? libraryOf(leaf.module) : '(V8, Blink)';
        const ownAt = lastIndex(inBundle, (f) => libraryOf(f.module) === 'sessionkeeper');
        const bodyAt = lastIndex(inBundle, (f) => f.body);
        const body = inBundle[bodyAt];
        const bodyOf = body && libraryOf(body.module);
        const own = inBundle[ownAt];
        const source =
          body && bodyAt > ownAt && bodyOf !== 'sessionkeeper' && bodyOf !== 'bench page'
            ? `${bodyOf} (its modules' top level)`
            : own
              ? `${sourcePath(own.module)} ${own.body ? '(module top level)' : own.frame.functionName || '(anonymous)'}`
              : leaf
                ? `${libraryOf(leaf.module)} (no sessionkeeper code on the stack)`
                : '(no page code on the stack: V8, Blink)';
        const phase = !inBundle.some((f) => LIBRARIES.has(libraryOf(f.module)))
          ? 'the bench page, or no page code on the stack'
          : body && bodyOf !== 'bench page'
            ? 'evaluating the modules (import)'
            : 'createSession and after';
        sampled += node.selfSize;
        add(byAllocator, allocator, node.selfSize);
        add(byPhase, phase, node.selfSize);
        const entryOf = getOrMake(bySource, source, () => ({ total: 0, by: {} }));
        entryOf.total += node.selfSize;
        add(entryOf.by, allocator, node.selfSize);
      }
      for (const child of node.children) walk(child, frames);
    };
    walk(profile.head, []);

    const snapshotByType: Record<string, number> = {};
    const snapshotByName: HeapAttribution['snapshotByName'] = {};
    for (const [id, node] of snapshotAfter) {
      // Script sources: Blink's memory, outside the used JS heap.
      if (snapshotBefore.has(id) || node.name === 'system / ExternalStringData') continue;
      add(snapshotByType, node.type, node.size);
      const name = `${node.type} ${node.type === 'string' ? '(strings)' : node.name.slice(0, 60)}`;
      const entryOf = getOrMake(snapshotByName, name, () => ({ size: 0, count: 0 }));
      entryOf.size += node.size;
      entryOf.count++;
    }
    return {
      before,
      after,
      sampled,
      byAllocator,
      bySource,
      byPhase,
      snapshotByType,
      snapshotByName,
    };
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
}
