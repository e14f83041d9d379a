import { defineErrors } from 'src/common/errors/domain-error';

export const AbTestErrors = defineErrors({
  AB_TEST_NOT_FOUND: { status: 404, title: 'A/B test not found' },
  AB_TEST_NOT_RUNNING: { status: 409, title: 'A/B test is not running' },
});
