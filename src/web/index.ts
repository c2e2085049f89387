/** The web portal's wiring: its routes and what they need from the application (bootstrap.ts calls it). */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AUTHENTICATOR, type Authenticator } from '../platform/auth/authenticator.port';
import type { Clock } from '../platform/clock/clock';
import type { AppConfig } from '../platform/config/config';
import type { EventStore } from '../platform/event-store/event-store.port';
import { ProjectionRunner } from '../platform/projections/projection-runner';
import { CLOCK, EVENT_STORE } from '../platform/tokens';
import { WorkflowRunner } from '../platform/workflows/workflow-runner';
import { authPages } from './pages/auth.pages';
import { billingPages } from './pages/billing.pages';
import { inboxPages } from './pages/inbox.pages';
import { parentPages } from './pages/parent.pages';
import { staffPages } from './pages/staff.pages';
import { installWebPortal, type PageRoute } from './portal';

/** How long a page waits for the read models after a write before showing what it has. */
const SETTLE_TIMEOUT_MS = 2_000;

export function webRoutes(config: AppConfig): PageRoute[] {
  return [...authPages({ cookieSecure: config.web.cookieSecure }), ...parentPages(), ...billingPages(), ...inboxPages(), ...staffPages()];
}

export function installWeb(app: NestFastifyApplication, config: AppConfig): void {
  const events = app.get<EventStore>(EVENT_STORE);
  const projections = app.get(ProjectionRunner);
  const workflows = app.get(WorkflowRunner);
  installWebPortal(app.getHttpAdapter().getInstance(), {
    config: config.web,
    authenticator: app.get<Authenticator>(AUTHENTICATOR),
    clock: app.get<Clock>(CLOCK),
    routes: webRoutes(config),
    // Read your writes: in a process that runs the projections (embedded), wait for them and for the
    // workflows (a booking's allocation) — bounded: a slow projection shows the page a moment later, not never.
    settle: async () => {
      if (!config.runProjections) return;
      const deadline = performance.now() + SETTLE_TIMEOUT_MS;
      const left = () => Math.max(1, deadline - performance.now());
      try {
        for (let round = 0; round < 3; round++) {
          const head = await events.headPosition();
          await workflows.waitForPosition(head, left());
          await projections.waitForPosition(await events.headPosition(), left());
          if ((await events.headPosition()) === head) return;
        }
      } catch {
        // not caught up in time: the page shows what the read models hold now
      }
    },
  });
}
