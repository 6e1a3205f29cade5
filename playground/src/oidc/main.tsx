import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from 'sessionkeeper/react';
import { OidcApp } from './OidcApp';
import { session } from './setup';

// StrictMode runs the callback effect twice: handleCallback still exchanges the code once.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider session={session}>
      <OidcApp />
    </SessionProvider>
  </StrictMode>,
);
