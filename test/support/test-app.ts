import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/platform/config/config';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner';
import { EVENT_STORE } from '../../src/platform/tokens';

export const TOKENS = {
  dupont: 'demo-parent-dupont',
  martin: 'demo-parent-martin',
  staff: 'demo-staff',
  auditor: 'demo-auditor',
  admin: 'demo-admin',
} as const;

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataDir: string;
  /** wait until every projection has handled everything appended so far */
  settle(): Promise<void>;
  events: EventStore;
  close(): Promise<void>;
}

/** The embedded portal in a temporary data folder, with the demo data, as `npm start` runs it. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portail-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config);
  await app.init();
  const events = app.get<EventStore>(EVENT_STORE);
  const runner = app.get(ProjectionRunner);
  const settle = async () => runner.waitForPosition(await events.headPosition());
  await settle();
  return {
    app,
    http: request(app.getHttpServer()),
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
