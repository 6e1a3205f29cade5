/** A demo user. Any (or no) password is accepted. */
export interface DemoUser {
  id: string;
  name: string;
  email: string;
}

export const DEMO_USERS: Readonly<Record<string, DemoUser>> = {
  alice: { id: 'alice', name: 'Alice Example', email: 'alice@example.test' },
  bob: { id: 'bob', name: 'Bob Example', email: 'bob@example.test' },
  carol: { id: 'carol', name: 'Carol Example', email: 'carol@example.test' },
};

/** The demo user called `username`, if there is one (own keys only: `constructor` is no user). */
export function findUser(username: string): DemoUser | undefined {
  return Object.hasOwn(DEMO_USERS, username) ? DEMO_USERS[username] : undefined;
}
