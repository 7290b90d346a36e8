// Report lines read the fast way where the scanner is sure, and through
// JSON.parse + toReport otherwise: the same Report or the same error either way
// (scan.test.ts checks it). This is what `detente check` reads lines with; the
// engine itself only knows toReport.
import { parseReportByJson, type Report } from '../monitor/reports.ts';
import { ReportScanner } from './scan.ts';

const scanner = new ReportScanner();

/** Parses one NDJSON line into a report. Throws ReportError with the reason. */
export function parseReportLine(line: string): Report {
  return scanner.scan(line, 0, line.length) ?? parseReportByJson(line);
}

/**
 * Parses the line text[from, to) into a report, as parseReportLine(text.slice(from, to))
 * does, without cutting the line out unless it is unusual.
 */
export function parseReportAt(text: string, from: number, to: number): Report {
  return scanner.scan(text, from, to) ?? parseReportByJson(text.slice(from, to));
}
