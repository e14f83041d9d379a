import { defineErrors } from 'src/common/errors/domain-error';
import { onMissingReference } from 'src/common/errors/missing-reference';

export const AbTestErrors = defineErrors({
  AB_TEST_NOT_FOUND: { status: 404, title: 'A/B test not found' },
  AB_TEST_NOT_RUNNING: { status: 409, title: 'A/B test is not running' },
  AB_TEST_ROLLOUT_NOT_FOUND: { status: 404, title: 'A/B test is not a rollout' },
});

// A row deleted while a write that refers to it ran: 404, mapped once for every write (missing-reference.ts).
onMissingReference('model_ab_tests', (key) => AbTestErrors.AB_TEST_NOT_FOUND(`The A/B test (${key}) was deleted while this request ran.`));
