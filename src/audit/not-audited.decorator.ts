import { SetMetadata } from '@nestjs/common';

export const NOT_AUDITED = 'modelwatch:not-audited';

/** A POST that changes nothing (e.g. a deterministic A/B assignment): no audit entry, no extra transaction. */
export const NotAudited = () => SetMetadata(NOT_AUDITED, true);
