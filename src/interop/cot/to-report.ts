// A CoT position event as a Détente report (docs/spec/reports.md) for the actor
// whose device sent it. The mapping, field by field (README "Field formats"):
//   uid → unit; time → time; point lon/lat → position; hae → altitude_m (unless unknown);
//   <track speed course> → type "track" with velocity east/north (up 0), otherwise "observation";
//   how, ce, le (when known), <contact callsign> → extra fields, kept for the record.
import { formatTime } from '../../arrangement/time.ts';
import { type CotEvent, detailChild, UNKNOWN } from './event.ts';

/** A position event that cannot be a report (a drawing, an alert, a track with a bad speed). */
export class CotReportError extends Error {}

/** The report as the spec's JSON object: the same thing `POST …/reports` and `detente check` read. */
export interface CotReport {
  type: 'observation' | 'track';
  id: string;
  time: string;
  unit: string;
  actor: string;
  position: [number, number];
  altitude_m?: number;
  velocity?: { east_mps: number; north_mps: number; up_mps: number };
  how: string;
  ce?: number;
  le?: number;
  callsign?: string;
}

/**
 * An atom (type a-…: a thing at a place) as its actor's report. The report id is
 * the unit and the event's time: a device re-sending the same event is the same report.
 */
export function cotToReport(ev: CotEvent, actor: string): CotReport {
  if (!ev.type.startsWith('a-')) throw new CotReportError(`event uid ${JSON.stringify(ev.uid)}: type ${ev.type} is not a position (a-…) event`);
  const time = formatTime(ev.time);
  const p = ev.point;
  const r: CotReport = { type: 'observation', id: `cot:${ev.uid}@${time}`, time, unit: ev.uid, actor, position: [p.lon, p.lat], how: ev.how };
  if (p.hae !== UNKNOWN) r.altitude_m = p.hae;
  const track = detailChild(ev, 'track');
  if (track !== undefined) {
    const speed = Number(track.attrs.speed);
    const course = Number(track.attrs.course);
    // ATAK writes a track with no speed or course for a stationary marker: that is an observation.
    if (track.attrs.speed !== undefined && track.attrs.course !== undefined) {
      if (!Number.isFinite(speed) || speed < 0)
        throw new CotReportError(`event uid ${JSON.stringify(ev.uid)}: <track> speed="${track.attrs.speed}" is not a speed in m/s`);
      if (!Number.isFinite(course))
        throw new CotReportError(`event uid ${JSON.stringify(ev.uid)}: <track> course="${track.attrs.course}" is not a bearing in degrees`);
      // Course is degrees clockwise from true north.
      const rad = (course * Math.PI) / 180;
      r.type = 'track';
      r.velocity = { east_mps: speed * Math.sin(rad), north_mps: speed * Math.cos(rad), up_mps: 0 };
    }
  }
  if (p.ce !== UNKNOWN) r.ce = p.ce;
  if (p.le !== UNKNOWN) r.le = p.le;
  const callsign = detailChild(ev, 'contact')?.attrs.callsign;
  if (callsign) r.callsign = callsign;
  return r;
}
