import { expect } from 'vitest';
import { recordConsoleProblems } from './helpers/console';
import { recordNetwork } from './helpers/network';
import { signIn, testId, waitForStatus } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

for (const path of ['/', '/vanilla.html']) {
  test(`${path}: a first visit is quiet (no console problem, no start-up refresh), a reload signs back in`, async () => {
    const { context } = playground.browser;
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = recordConsoleProblems(page);
    const network = recordNetwork(page);
    await page.goto(`${playground.url}${path}`);
    await waitForStatus(page, 'anonymous');
    // The server panel has read the counters (after the page started).
    await page.waitForSelector(`${testId('server-no-session')}[data-count="0"]`);

    // Nobody was signed in: no refresh was sent that could only fail.
    expect(network.events.filter((e) => e.path === '/auth/refresh')).toEqual([]);
    expect((await playground.mock.state()).counters).toMatchObject({
      refreshFailures: 0,
      noSession: 0,
    });
    expect(await page.textContent(testId('idle-state'))).toBe('starts at sign-in');

    // Signed in, then reloaded: one start-up refresh with the cookie brings alice back.
    await signIn(page, 'alice');
    const signedInAt = await page.textContent(`${testId('timeline')} li[data-type="login"]`);
    await page.reload();
    await page.waitForSelector(`${testId('user')}[data-user="alice"]`);
    await waitForStatus(page, 'authenticated', 'refreshing');
    const { counters } = await playground.mock.state();
    expect(counters).toMatchObject({ refreshes: 1, refreshFailures: 0, noSession: 0 });

    // The timeline kept the sign-in with its original time, below a line for the reload.
    const timeline = testId('timeline');
    await page.waitForSelector(`${timeline} li[data-type="page-loaded"]`);
    const logins = await page.$$eval(`${timeline} li[data-type="login"]`, (items) =>
      items.map((item) => item.textContent),
    );
    expect(logins).toContain(signedInAt);
    expect(problems).toEqual([]);
  });
}
