import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createApp } from '../../src/bootstrap';
import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { SettableClock } from '../../src/platform/clock/clock';
import { loadConfig } from '../../src/platform/config/config';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner';
import { EVENT_STORE } from '../../src/platform/tokens';
import { WorkflowRunner } from '../../src/platform/workflows/workflow-runner';

/** The demo accounts the embedded runtime creates on first start (src/demo/demo-data.ts). */
export const LOGINS = {
  dupont: '1001001818331',
  jeanne: 'jeanne.dupont',
  martin: '1001001818332',
  staff: 'agent.saint-jean',
  otherStaff: 'agent.peaugres',
  auditor: 'auditeur',
  admin: 'admin',
} as const;
export type DemoLogin = keyof typeof LOGINS;

/**
 * The instant every e2e test starts at: a Monday in term time (zone C), so the tests do not depend on
 * today's date or on how far the shipped school calendar reaches. Tests move `clock` when they need to.
 */
export const E2E_NOW = '2026-11-16T09:00:00+01:00';

export interface TestApp {
  /** the portal's clock, standing still at E2E_NOW until a test moves it */
  clock: SettableClock;
  /** session tokens of the demo accounts, logged in through POST /auth/login */
  tokens: Record<DemoLogin, string>;
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataDir: string;
  /** wait until every projection has handled everything appended so far */
  settle(): Promise<void>;
  events: EventStore;
  close(): Promise<void>;
}

/** The embedded portal in a temporary data folder, with the demo data, as `npm start` runs it. */
export async function startTestApp(env: Record<string, string> = {}, clock = new SettableClock(E2E_NOW)): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portail-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, { clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const events = app.get<EventStore>(EVENT_STORE);
  const runner = app.get(ProjectionRunner);
  const workflows = app.get(WorkflowRunner);
  // Workflows append events of their own (places allocated, days closed): wait until the log is still.
  // A workflow that keeps appending (a loop between two of them) fails here with the workflows' state,
  // instead of running into the test's timeout.
  const settle = async () => {
    for (let head = -1, rounds = 0; ; rounds++) {
      const now = await events.headPosition();
      if (now === head) return;
      if (rounds >= 50) {
        const statuses = JSON.stringify(await workflows.statuses());
        throw new Error(`The event log does not settle: still growing after ${rounds} rounds (head ${now}); workflows: ${statuses}`);
      }
      head = now;
      await workflows.waitForPosition(head);
      await runner.waitForPosition(await events.headPosition());
    }
  };
  await settle();
  const http = request(app.getHttpServer());
  const tokens = {} as Record<DemoLogin, string>;
  for (const [name, login] of Object.entries(LOGINS) as [DemoLogin, string][]) {
    const res = await http.post('/auth/login').send({ login, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`demo login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
    tokens[name] = res.body.token;
  }
  return {
    clock,
    tokens,
    app,
    http,
    dataDir,
    settle,
    events,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
