import { CheckDriftDto } from 'src/drift/dto/drift-check.dto';
import { PutReferenceFeatureDto } from 'src/drift/dto/reference.dto';
import { validateSampleBody } from 'src/drift/dto/sample-body';

const LISTS = ['current.features', 'reference.features'];
const MODEL_ID = '3f1c2d9e-8a7b-4c6d-9e0f-1a2b3c4d5e6f';

describe('validateSampleBody', () => {
  it('validates the DTO and hands the original value arrays back, uncopied', async () => {
    const values = [1, 2, null, 3];
    const body = {
      modelId: MODEL_ID,
      current: { features: [{ name: 'age', values }] },
      reference: { features: [{ name: 'age', values: [4] }] },
    };
    const validated = await validateSampleBody(CheckDriftDto, body, LISTS);
    expect(validated).toBeInstanceOf(CheckDriftDto);
    expect(validated.current.features[0].values).toBe(values);
    expect(validated.reference!.features[0].values).toEqual([4]);
    expect(body.current.features[0].values).toBe(values); // the caller's body is not modified
  });

  it('reports DTO errors and value errors together, with full paths', async () => {
    const body = {
      modelId: 'x',
      current: {
        features: [
          { name: 'a', values: [1] },
          { name: 'b', values: [1, {}] },
        ],
      },
      extra: true,
    };
    await expect(validateSampleBody(CheckDriftDto, body, LISTS)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: expect.arrayContaining([
        { field: 'modelId', message: expect.any(String) },
        { field: 'extra', message: 'property extra should not exist' },
        { field: 'current.features[1].values', message: 'values[1] must be a number, string, boolean or null' },
      ]),
    });
  });

  it('handles a body that is itself one feature, and values that are no array', async () => {
    const values = ['x', true];
    expect((await validateSampleBody(PutReferenceFeatureDto, { values }, [''])).values).toBe(values);
    await expect(validateSampleBody(PutReferenceFeatureDto, { values: 'x' }, [''])).rejects.toMatchObject({
      errors: [{ field: 'values', message: 'values must be an array of numbers, strings, booleans or null' }],
    });
    await expect(validateSampleBody(PutReferenceFeatureDto, null, [''])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
