import 'reflect-metadata';

import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './platform/config/config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  console.log(`Portail Famille (${config.mode}) sur ${url} — documentation ${url}/docs, santé ${url}/health`);
}

void main();
