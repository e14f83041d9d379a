import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { invalidFields, type FieldError } from 'src/common/errors/domain-error';
import { findUnsafeInput } from 'src/common/validation/input-safety';
import { MODEL_NAME_MESSAGE, MODEL_NAME_PATTERN } from 'src/models/dto/model.dto';
import { ModelErrors } from 'src/models/models.errors';
import { ModelsService } from 'src/models/models.service';

const MODEL_REFERENCE_LIST = Symbol('modelReferenceList');

/**
 * The handler's body names its model by `modelId` or `modelName` (exactly one); with `list`, every item of
 * that array does (`points` of POST /metrics/record). Names are resolved to ids here, in one query per
 * request, before any pipe runs: the handler and its service only see `modelId`.
 */
export function AcceptsModelName(list?: string): MethodDecorator {
  return applyDecorators(SetMetadata(MODEL_REFERENCE_LIST, list ?? null), UseInterceptors(ModelNameInterceptor));
}

type Reference = Record<string, unknown>;

@Injectable()
export class ModelNameInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly models: ModelsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const list = this.reflector.get<string | null>(MODEL_REFERENCE_LIST, context.getHandler());
    const body = context.switchToHttp().getRequest<Request>().body as unknown;
    // interceptors run before pipes: refuse what the validation pipe would (NUL, nesting) before reading the body
    const unsafe = findUnsafeInput(body);
    if (unsafe) throw invalidFields([unsafe]);
    const references = referencesIn(body, list);
    if (references.length > 0) await this.resolve(references);
    return next.handle();
  }

  private async resolve(references: { path: string; item: Reference }[]): Promise<void> {
    const errors: FieldError[] = [];
    const named: { path: string; item: Reference; name: string }[] = [];
    for (const { path, item } of references) {
      const hasId = item.modelId !== undefined;
      const hasName = item.modelName !== undefined;
      if (hasId === hasName) {
        const message = hasId ? 'give modelId or modelName, not both' : 'one of modelId and modelName is required';
        errors.push({ field: `${path}modelId`, message }, { field: `${path}modelName`, message });
      } else if (hasName) {
        if (typeof item.modelName === 'string' && MODEL_NAME_PATTERN.test(item.modelName)) {
          named.push({ path, item, name: item.modelName });
        } else errors.push({ field: `${path}modelName`, message: `modelName ${MODEL_NAME_MESSAGE}` });
      }
    }
    if (errors.length > 0) throw invalidFields(errors);
    if (named.length === 0) return;
    const ids = await this.models.findIdsByNames(named.map(({ name }) => name));
    const unknown = named.filter(({ name }) => !ids.has(name));
    if (unknown.length > 0) {
      const names = [...new Set(unknown.map(({ name }) => name))];
      throw ModelErrors.MODEL_NOT_FOUND(
        `No model named ${names.map((name) => `"${name}"`).join(', ')}.`,
        { modelName: names[0] },
        unknown.slice(0, 100).map(({ path }) => ({ field: `${path}modelName`, message: 'no model has this name' })),
      );
    }
    for (const { item, name } of named) {
      item.modelId = ids.get(name);
      delete item.modelName;
    }
  }
}

/** The objects that carry a model reference, with the path prefix of their fields; malformed bodies are left to validation. */
function referencesIn(body: unknown, list: string | null): { path: string; item: Reference }[] {
  if (!isObject(body)) return [];
  if (list === null) return [{ path: '', item: body }];
  const items = body[list];
  if (!Array.isArray(items)) return [];
  return items.flatMap((item, index) => (isObject(item) ? [{ path: `${list}[${index}].`, item }] : []));
}

function isObject(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
