// The image's HEALTHCHECK. One image runs the API, the worker or the migration; PID 1's command
// line says which. The API answers /health/live (the process serves requests; see the Dockerfile
// for why not /health/ready), the worker's heartbeat file must be fresh, a migration is healthy
// while it runs.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const command = readFileSync('/proc/1/cmdline', 'utf8');
if (command.includes('apps/worker/')) {
  require(join(__dirname, '../../dist/apps/worker/src/healthcheck.js'));
} else if (command.includes('apps/api/')) {
  const port = process.env.PORT || '3000';
  fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(4000) }).then(
    (res) => process.exit(res.ok ? 0 : 1),
    () => process.exit(1),
  );
} else {
  process.exit(0);
}
