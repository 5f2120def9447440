/**
 * The data converter the API's Temporal client and the worker share: our payload codec, and a
 * failure converter that moves error messages and stack traces into an (encrypted) payload, so an
 * activity error quoting a report's body is not stored in clear either.
 *
 * Codecs run outside the workflow sandbox, so the codec instance is passed as is; the failure
 * converter runs inside it too, so it is named by module path, which the worker, the workflow
 * bundler (`bundleWorkflowCode`'s `failureConverterPath`) and the client all load.
 */
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { PayloadKey } from '@openccs/config';
import { AesGcmPayloadCodec } from './payload-codec';

/**
 * The module exporting `failureConverter` (libs/contracts/src/failure-converter.ts): the compiled
 * file in a build, the source under jest. No extension: webpack and require find either.
 */
export function failureConverterPath(): string {
  return join(__dirname, '..', '..', 'contracts', 'src', 'failure-converter');
}

/** For a Client, a Worker and replay alike. */
export function temporalDataConverter(keys: readonly PayloadKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: failureConverterPath() };
}
