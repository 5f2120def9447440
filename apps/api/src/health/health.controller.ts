import { Controller, Get, HttpCode, HttpStatus, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { logSignerOf, type LogSigner } from '@openccs/disclosure';
import { DisclosureRepository } from '@openccs/persistence';
import { Public } from '../auth/decorators';
import { Problem, ProblemException } from '../common/problem';
import { TemporalClient } from '../temporal/temporal.module';
import { WORKER_SILENCE_SECONDS, WorkflowHealth } from '../admin/workflow-health';

const CHECK_TIMEOUT_MS = 2_000;
/** Readiness probes may come every second; the workflow checks are redone at most this often. */
const WORKFLOW_CHECK_CACHE_MS = 3_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: TemporalClient,
    private readonly health: WorkflowHealth,
    private readonly log: DisclosureRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.signer = logSignerOf(config.disclosure);
  }

  private readonly signer: LogSigner | undefined;

  /** The process is up; nothing else is checked, so an orchestrator restarts only a hung process. */
  @Get('live')
  @ApiOkResponse({ description: 'The process serves requests.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready when PostgreSQL and Temporal answer, a worker polls the task queue, and no report's
   * workflow is stuck (failing tasks, activities retrying past STUCK_AFTER_ATTEMPTS, or work set
   * aside); otherwise 503 naming each reason. The workflow checks are cached for a few seconds so
   * frequent probes cost nothing.
   */
  @Get('ready')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Everything answers and no report is stuck.' })
  @ApiServiceUnavailableResponse({ type: Problem, description: 'Not ready or degraded; `detail` says why.' })
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const [database, temporal] = await Promise.all([
      withTimeout(this.ds.query('SELECT 1')).then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      // A deadline on the call itself, so its retries end with the check instead of outliving it.
      this.temporal.connection
        .withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => this.temporal.connection.healthService.check({}))
        .then(
          () => 'up' as const,
          () => 'down' as const,
        ),
    ]);
    if (database === 'down' || temporal === 'down') {
      const down = [database === 'down' && 'PostgreSQL', temporal === 'down' && 'Temporal'].filter(Boolean);
      throw new ProblemException('not_ready', `Not ready: ${down.join(' and ')} did not answer.`);
    }
    const problems = await this.workflowProblems();
    if (problems.length > 0) {
      throw new ProblemException('degraded', `Degraded: ${problems.join('; ')}.`);
    }
    return { status: 'ok', checks: { database, temporal, worker: 'up', workflows: 'up' } };
  }

  private cached: { at: number; problems: Promise<string[]> } | undefined;

  private workflowProblems(): Promise<string[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > WORKFLOW_CHECK_CACHE_MS) {
      this.cached = { at: now, problems: this.checkWorkflows() };
    }
    return this.cached.problems;
  }

  private async checkWorkflows(): Promise<string[]> {
    const problems: string[] = [];
    // After a key rotation this API was not given the key of: it cannot publish until it is.
    const inForce = await this.log.latestHead().then(
      (head) => head?.keyId,
      () => undefined,
    );
    if (this.signer && inForce && !this.signer.key(inForce))
      problems.push(
        `this API cannot sign the public log: its heads are now signed by key ${inForce}, and this process holds only ${this.signer.keyIds.join(', ')} (set LOG_SIGNING_KEY to the log's current key and restart)`,
      );
    const silence = await this.health.workerSilence().catch(() => undefined);
    if (silence === undefined) problems.push('the task queue could not be described');
    else if (silence === null || silence > WORKER_SILENCE_SECONDS)
      problems.push(
        silence === null
          ? 'no worker has polled the task queue'
          : `no worker has polled the task queue for ${silence} s`,
      );
    // Only what the system itself must mend: an escalation nobody can handle is the project's to
    // staff (it is listed by GET /api/v1/admin/stuck), and must not take the API out of service.
    const stuck = await this.health.stuckWorkflows().catch(() => undefined);
    if (stuck === undefined) problems.push('the stuck reports could not be listed');
    else if (stuck.length > 0)
      problems.push(
        `${stuck.length} report${stuck.length === 1 ? '' : 's'} stuck (GET /api/v1/admin/stuck): ${stuck
          .slice(0, 3)
          .map((s) => `${s.reportId ?? s.workflowId}: ${s.reason}`)
          .join(' | ')}`,
      );
    return problems;
  }
}
