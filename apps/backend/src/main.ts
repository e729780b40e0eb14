// Entry point: `node apps/backend/src/main.ts` in development, dist/server.mjs in the image.
import { runMain } from '@meshproof-app/shared/runtime';
import { createBackend } from './app.ts';
import { readBackendConfig } from './config.ts';

await runMain('backend', async () => {
  const config = readBackendConfig(process.env);
  const service = createBackend(config);
  return { service, port: await service.listen(config.port) };
});
