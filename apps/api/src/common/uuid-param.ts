import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from './problem';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new ProblemException({
          status: 400,
          code: 'validation_failed',
          detail: `${name} must be a UUID.`,
          errors: [{ field: name, message: `${name} must be a UUID` }],
        }),
    }),
  );
