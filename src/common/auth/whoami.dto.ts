import { ApiProperty } from '@nestjs/swagger';

export enum AuthMode {
  /** No API_KEYS configured: the API is open and listens on loopback only. */
  PROTECTED = 'protected',
  /** API_KEYS configured: every request carries a key. */
  API_KEY = 'api-key',
}

export class WhoAmIDto {
  @ApiProperty({ enum: AuthMode, enumName: 'AuthMode' })
  mode: AuthMode;
  /** The key's name (use it as `by` when acknowledging or resolving alerts); null in protected mode or without a key. */
  @ApiProperty({ type: 'string', nullable: true })
  keyName: string | null;
  /** What the caller may do: the key's scope, `admin` in protected mode (everything is open), null without a key. */
  @ApiProperty({ type: 'string', enum: ['read', 'write', 'admin'], nullable: true })
  scope: 'read' | 'write' | 'admin' | null;
}
