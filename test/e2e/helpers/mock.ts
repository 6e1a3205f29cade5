import type { MockConfig, MockStateSnapshot } from '../../../playground/server';

/** The mock auth server's controls, called from the test process. */
export interface MockControls {
  state(): Promise<MockStateSnapshot>;
  config(patch: Partial<MockConfig>): Promise<MockConfig>;
  reset(): Promise<void>;
}

export function mockControls(baseUrl: string): MockControls {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/mock/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`/mock/${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  return {
    state: () => call('GET', 'state') as Promise<MockStateSnapshot>,
    config: (patch) => call('POST', 'config', patch) as Promise<MockConfig>,
    async reset() {
      await call('POST', 'reset', {});
    },
  };
}
