import { useDraft, useFormDraft, useIdleTimer, useSession } from 'sessionkeeper/react';

const keep = () => {};

/** Every hook, rendered by server.test.tsx (imported there only once the traps are set). */
export function ServerApp() {
  const { status, user } = useSession();
  const { state, remainingMs } = useIdleTimer();
  const { ref, restored } = useFormDraft('contact');
  const draft = useDraft('post', { title: 'server' }, keep);
  return (
    <main>
      <p id="status">{`${status} ${user?.id ?? 'nobody'}`}</p>
      <p id="idle">{`${state} ${remainingMs}`}</p>
      <form ref={ref}>
        <input name="title" defaultValue="server" />
      </form>
      <p id="drafts">{`${restored} ${draft.restored}`}</p>
    </main>
  );
}
