// Entry point: `node apps/frontend/src/main.ts` in development, dist/server.mjs in the image.
import { runMain } from '@meshproof-app/shared/runtime';
import { createFrontend } from './app.ts';
import { readFrontendConfig } from './config.ts';

await runMain('frontend', async () => {
  const config = readFrontendConfig(process.env);
  const service = createFrontend(config);
  return { service, port: await service.listen(config.port) };
});
