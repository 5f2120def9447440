import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { invalidRequest } from './problem';

/**
 * A path parameter that must be a UUID, in lower case; anything else is a 400 naming the
 * parameter. It is documented as one, so the OpenAPI document says what the pipe enforces.
 */
export const UuidParam =
  (name: string): ParameterDecorator =>
  (target, method, index) => {
    Param(
      name,
      new ParseUUIDPipe({
        exceptionFactory: () =>
          invalidRequest([{ field: name, message: `${name} must be a UUID` }], `${name} must be a UUID.`),
      }),
      // One id, one spelling: workflow ids and cache keys are built from it.
      { transform: (value: string) => value.toLowerCase() },
    )(target, method, index);
    if (method === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, method);
    if (descriptor) ApiParam({ name, type: 'string', format: 'uuid' })(target, method, descriptor);
  };
