import { Module } from '@nestjs/common';
import { ModelsController } from 'src/models/models.controller';
import { ModelsRepository } from 'src/models/models.repository';
import { ModelsService } from 'src/models/models.service';

@Module({
  controllers: [ModelsController],
  providers: [ModelsRepository, ModelsService],
  exports: [ModelsService],
})
export class ModelsModule {}
