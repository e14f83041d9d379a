import { Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import { MODEL_NAME_MESSAGE, MODEL_NAME_PATTERN } from 'src/models/dto/model.dto';

/** A model name path parameter; a malformed one is a 400 naming the parameter. */
export function ModelNameParam(name = 'name'): ParameterDecorator {
  const pipe: PipeTransform<string, string> = {
    transform(value) {
      if (typeof value !== 'string' || !MODEL_NAME_PATTERN.test(value)) throw invalidField(name, MODEL_NAME_MESSAGE);
      return value;
    },
  };
  return Param(name, pipe);
}

/** Documents the `{name}` path parameter with the slug pattern. */
export function ApiModelNameParam(name = 'name'): MethodDecorator {
  return applyDecorators(
    ApiParam({ name, schema: { type: 'string', pattern: MODEL_NAME_PATTERN.source }, description: 'The model name.' }),
  );
}
