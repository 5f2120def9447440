/** Container health check of the worker: exit 0 while its heartbeat is fresh. */
import { heartbeatIsFresh } from './heartbeat';

process.exit(heartbeatIsFresh() ? 0 : 1);
