#!/usr/bin/env node
// Writes the OpenAPI document the portal serves at /docs/openapi.json (from the compiled build, in a
// throwaway embedded data folder, without listening) to the file given, for Spectral (`npm run lint:api`).
'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

async function main(target) {
  const { createApp } = require('../dist/src/bootstrap');
  const { loadConfig } = require('../dist/src/platform/config/config');
  const dataDir = mkdtempSync(join(tmpdir(), 'portail-openapi-'));
  const app = await createApp(
    loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      // as in production: served over HTTPS (the servers entry of the document)
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? 'https://portail-famille.example.fr',
    }),
  );
  try {
    await app.init();
    const answer = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs/openapi.json' });
    if (answer.statusCode !== 200) throw new Error(`GET /docs/openapi.json answered ${answer.statusCode}`);
    writeFileSync(target, answer.body);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2] ?? 'dist/openapi.json').then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
