import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** `{ items, nextCursor }` list responses: `class XPageDto extends PageOf(XDto) {}` gives each its own named schema. */
export function PageOf<Item>(item: Type<Item>) {
  class Page {
    @ApiProperty({ type: [item] })
    items: Item[];

    @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` to get the next page; null on the last page.' })
    nextCursor: string | null;
  }
  return Page;
}
