/**
 * The payload codec as a service for the Temporal UI and CLI ("remote codec server"): decodes
 * what the API and the worker encrypted so an administrator can read a history, and encodes what
 * they send back (a signal or a reset from the UI). Each call is audited and rate-limited per
 * administrator; the keys never leave the process.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Payload } from '@temporalio/common';
import { APP_CONFIG, type AppConfig } from '@openccs/config';
import { AuditRepository } from '@openccs/persistence';
import {
  AesGcmPayloadCodec,
  JsonPayloadError,
  PayloadDecryptionError,
  payloadsFromJson,
  payloadsToJson,
  type JsonPayload,
} from '@openccs/temporal-codec';
import { invalidRequest, rateLimited } from '../common/problem';
import { RateWindows } from '../common/rate-windows';
import type { RequestContext } from '../common/request-context';

/** Calls a minute per administrator: the UI decodes a history page by page, event group by group. */
export const CODEC_CALLS_PER_MINUTE = 600;
/** Payloads one call may carry (the JSON body limit, 1 MB, bounds their size). */
export const CODEC_MAX_PAYLOADS = 1_000;

export type CodecOperation = 'decode' | 'encode';

@Injectable()
export class TemporalCodecService {
  private readonly codec: AesGcmPayloadCodec;
  private readonly calls = new RateWindows(CODEC_CALLS_PER_MINUTE);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly audit: AuditRepository,
  ) {
    this.codec = new AesGcmPayloadCodec(config.temporal.payloadKeys);
  }

  async run(
    operation: CodecOperation,
    body: unknown,
    namespace: string | undefined,
    ctx: RequestContext,
  ): Promise<{ payloads: JsonPayload[] }> {
    const wait = this.calls.take(ctx.actor.id);
    if (wait !== undefined)
      throw rateLimited(
        'rate_limited',
        `More than ${CODEC_CALLS_PER_MINUTE} codec calls a minute; retry in ${wait} s.`,
        wait,
      );
    const served = this.config.temporal.namespace;
    if (namespace !== undefined && namespace !== served)
      throw invalidRequest([
        { field: 'X-Namespace', message: `this codec serves the namespace ${served}, not ${namespace}` },
      ]);
    let payloads: Payload[];
    try {
      payloads = payloadsFromJson(body, CODEC_MAX_PAYLOADS);
    } catch (err) {
      if (err instanceof JsonPayloadError)
        throw invalidRequest([{ field: 'payloads', message: err.message }]);
      throw err;
    }
    let result: Payload[];
    try {
      result = operation === 'decode' ? await this.codec.decode(payloads) : await this.codec.encode(payloads);
    } catch (err) {
      if (err instanceof PayloadDecryptionError)
        throw invalidRequest([{ field: 'payloads', message: err.message }]);
      throw err;
    }
    // Who read (or wrote) what, without the contents: how many payloads, in which namespace.
    // A call with none (the CLI asks for every event, most carry nothing) reveals nothing.
    if (payloads.length > 0)
      await this.ds.transaction((tx) =>
        this.audit.record(tx, {
          actorUserId: ctx.actor.id,
          action: `temporal.codec.${operation}`,
          subjectType: 'temporal_namespace',
          subjectId: served,
          requestId: ctx.requestId,
          details: {
            payloads: payloads.length,
            encrypted: payloads.filter((p) => AesGcmPayloadCodec.isEncrypted(p)).length,
          },
        }),
      );
    return payloadsToJson(result);
  }
}
