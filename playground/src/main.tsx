import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from 'sessionkeeper/react';
import { App } from './App';
import { createPlaygroundSession, readIdleSettings } from './lib/settings';

// One session for the page, created outside of rendering.
const idle = readIdleSettings(window.location.search);
const session = createPlaygroundSession(idle);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider session={session}>
      <App idle={idle} />
    </SessionProvider>
  </StrictMode>,
);
