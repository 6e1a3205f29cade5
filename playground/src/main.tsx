import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from 'sessionkeeper/react';
import { App } from './App';
import { createPlaygroundSession, readIdleSettings, readLifetimeSettings } from './lib/settings';
import { markPageLoad } from './lib/timeline';

// One session for the page, created outside of rendering, after the timeline marked the load.
markPageLoad();
const idle = readIdleSettings(window.location.search);
const lifetime = readLifetimeSettings(window.location.search);
const session = createPlaygroundSession(idle, lifetime);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider session={session}>
      <App idle={idle} lifetime={lifetime} />
    </SessionProvider>
  </StrictMode>,
);
