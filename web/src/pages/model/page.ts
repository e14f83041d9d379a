import { definePage } from '@/app/page';
import { loadModel } from '@/pages/model/loader';
import { modelView } from '@/pages/model/view';

export const modelPage = definePage({ load: loadModel, view: modelView, title: (d) => d.model.displayName ?? d.model.name });
