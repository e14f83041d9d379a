import { randomBytes } from 'node:crypto';

/** One id per `jest` run: every database this run creates is named after it, so runs never collide. */
export default async function globalSetup(): Promise<void> {
  process.env.MW_TEST_RUN_ID = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
