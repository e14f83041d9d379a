import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { invalidField } from 'src/common/errors/domain-error';

/** A UUID path parameter (documented `format: uuid`); a malformed one is a 400 naming the parameter. */
export function UuidParam(name: string): ParameterDecorator {
  const param = Param(name, new ParseUUIDPipe({ exceptionFactory: () => invalidField(name, 'must be a UUID') }));
  return (target, propertyKey, index) => {
    param(target, propertyKey, index);
    if (propertyKey === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey)!;
    ApiParam({ name, type: 'string', format: 'uuid' })(target, propertyKey, descriptor);
  };
}
