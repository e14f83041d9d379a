import { Param, ParseUUIDPipe } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';

/** A UUID path parameter; a malformed one is a 400 naming the parameter. */
export function UuidParam(name: string): ParameterDecorator {
  return Param(name, new ParseUUIDPipe({ exceptionFactory: () => invalidField(name, 'must be a UUID') }));
}
