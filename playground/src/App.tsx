import { useSession } from 'sessionkeeper/react';
import { Actions } from './Actions';
import { ContactCard } from './ContactCard';
import { IdleDialog } from './IdleDialog';
import { IdleSettingsCard } from './IdleSettingsCard';
import { LifetimeCard } from './LifetimeCard';
import type { IdleSettings, LifetimeSettings } from './lib/settings';
import { OrderCard } from './OrderCard';
import { RefusedTokenCard } from './RefusedTokenCard';
import { ReloginDialog } from './ReloginDialog';
import { ServerPanel } from './ServerPanel';
import { SessionEndingBanner } from './SessionEndingBanner';
import { StatusPanel } from './StatusPanel';
import { TabsLine } from './TabsLine';
import { Timeline } from './Timeline';

/** The playground page: every job of sessionkeeper, visible and pokeable. */
export function App({ idle, lifetime }: { idle: IdleSettings; lifetime: LifetimeSettings }) {
  const { session } = useSession();
  return (
    <>
      <header>
        <h1>sessionkeeper playground</h1>
        <nav>
          <a href="/">React</a>
          <a href="/vanilla.html">Without a framework</a>
        </nav>
        <TabsLine session={session} />
      </header>
      <SessionEndingBanner />
      <main className="columns">
        <div className="column">
          <StatusPanel />
          <OrderCard />
          <ContactCard />
        </div>
        <div className="column">
          <Actions />
          <IdleSettingsCard settings={idle} />
          <LifetimeCard settings={lifetime} />
        </div>
        <div className="column">
          <ServerPanel />
          <RefusedTokenCard />
          <Timeline session={session} />
        </div>
      </main>
      {/* useIdleTimer() needs the idle module: none when the idle timeout is off. */}
      {session.idle ? <IdleDialog /> : null}
      <ReloginDialog />
    </>
  );
}
