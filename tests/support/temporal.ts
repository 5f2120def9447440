/**
 * What a test's own Temporal client needs to read what the system wrote: the run's payload keys
 * (TEMPORAL_PAYLOAD_KEYS, set by the test stack). A client without it sees only ciphertext.
 */
import type { DataConverter } from '@temporalio/common';
import { parsePayloadKeys } from '@openccs/config';
import { temporalDataConverter } from '@openccs/temporal-codec';

export function testDataConverter(keys = process.env.TEMPORAL_PAYLOAD_KEYS): DataConverter {
  if (!keys) throw new Error('TEMPORAL_PAYLOAD_KEYS is unset: the test stack sets it');
  return temporalDataConverter(parsePayloadKeys(keys));
}
