// A model in, the bench's findings out (docs/spec/analytics.md): each output key
// present when its input is.
import { forecast, type Forecast } from './forecast.ts';
import { makeFrontier } from './frontier.ts';
import { kalaiSmorodinsky } from './kalai-smorodinsky.ts';
import type { Model } from './model.ts';
import { nash } from './nash.ts';
import { type Zopa, zopa } from './zopa.ts';

export interface Analysis {
  nash?: { u: [number, number] };
  kalai_smorodinsky?: { u: [number, number] };
  zopa?: Zopa[];
  forecast?: Forecast[];
}

export function analyze(model: Model): Analysis {
  const out: Analysis = {};
  if (model.frontier) {
    const fr = makeFrontier(model.frontier);
    out.nash = { u: nash(fr) };
    out.kalai_smorodinsky = { u: kalaiSmorodinsky(fr) };
  }
  if (model.issues) out.zopa = model.issues.map(zopa);
  if (model.stakeholders) out.forecast = forecast(model.stakeholders);
  return out;
}
