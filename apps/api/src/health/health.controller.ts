import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { Problem, ProblemException } from '../common/problem';
import { TemporalClient } from '../temporal/temporal.module';

const CHECK_TIMEOUT_MS = 2_000;

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
  ) {}

  /** The process is up; nothing else is checked, so an orchestrator restarts only a hung process. */
  @Get('live')
  @ApiOkResponse({ description: 'The process serves requests.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** PostgreSQL and Temporal both answer; 503 names which does not. */
  @Get('ready')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'PostgreSQL and Temporal both answer.' })
  @ApiServiceUnavailableResponse({ type: Problem })
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
      throw new ProblemException({
        status: 503,
        code: 'not_ready',
        detail: `Not ready: ${down.join(' and ')} did not answer.`,
      });
    }
    return { status: 'ok', checks: { database, temporal } };
  }
}
