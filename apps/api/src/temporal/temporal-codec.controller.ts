/**
 * Temporal's remote codec protocol (POST {endpoint}/decode and /encode with `{payloads: [...]}`),
 * for the Temporal UI and the `temporal` CLI: administrators only, by bearer token or by console
 * session (the UI sends cookies with TEMPORAL_CODEC_INCLUDE_CREDENTIALS). docs/operations.md.
 */
import { Body, Controller, Headers, HttpCode, Inject, Post, Req, UseInterceptors } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { ApiBody, ApiHeader, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Authenticated, RequireSystemRole, TokenOrConsoleSession } from '../auth/decorators';
import { ProblemException } from '../common/problem';
import { Ctx, type AuthenticatedRequest, type RequestContext } from '../common/request-context';
import { CODEC_MAX_PAYLOADS, TemporalCodecService, type CodecOperation } from './temporal-codec.service';
import { IdempotencyInterceptor } from '../common/idempotency';
import { CODEC_PATH, codecOriginAllowed } from './temporal-codec.cors';

export class CodecPayload {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', format: 'byte' },
    description: 'Metadata values in base64 (`encoding`, `encryption-key-id`, …).',
  })
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: String, format: 'byte', description: 'The bytes, in base64.' })
  data?: string;
}

export class CodecPayloads {
  // Optional: the temporal CLI sends `{}` when an event has nothing to decode (answered `[]`).
  @ApiPropertyOptional({ type: [CodecPayload], maxItems: CODEC_MAX_PAYLOADS, description: 'Absent: none.' })
  payloads?: CodecPayload[];
}

const NAMESPACE_HEADER = {
  name: 'X-Namespace',
  required: false,
  description: 'The Temporal namespace the payloads belong to; only the configured one is served.',
};

@ApiTags('administration')
@Authenticated()
@RequireSystemRole('admin')
@TokenOrConsoleSession()
@UseInterceptors(IdempotencyInterceptor)
@Controller(CODEC_PATH.slice(1))
export class TemporalCodecController {
  constructor(
    private readonly codec: TemporalCodecService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('decode')
  @HttpCode(200)
  @ApiHeader(NAMESPACE_HEADER)
  @ApiBody({ type: CodecPayloads })
  @ApiOkResponse({
    type: CodecPayloads,
    description: 'The payloads decrypted; those OpenCCS did not encrypt come back unchanged.',
  })
  decode(
    @Body() body: unknown,
    @Headers('x-namespace') namespace: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<CodecPayloads> {
    return this.run('decode', body, namespace, req, ctx);
  }

  @Post('encode')
  @HttpCode(200)
  @ApiHeader(NAMESPACE_HEADER)
  @ApiBody({ type: CodecPayloads })
  @ApiOkResponse({ type: CodecPayloads, description: 'The payloads encrypted with the current key.' })
  encode(
    @Body() body: unknown,
    @Headers('x-namespace') namespace: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<CodecPayloads> {
    return this.run('encode', body, namespace, req, ctx);
  }

  private run(
    operation: CodecOperation,
    body: unknown,
    namespace: string | undefined,
    req: AuthenticatedRequest,
    ctx: RequestContext,
  ): Promise<CodecPayloads> {
    // Signed in by cookie: the request must come from the Temporal UI (or this site) itself.
    if (req.consoleSession && !codecOriginAllowed(req, this.config))
      throw new ProblemException('csrf_failed', 'This origin may not call the codec with a console session.');
    return this.codec.run(operation, body, namespace, ctx);
  }
}
