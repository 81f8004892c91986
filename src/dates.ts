/**
 * The one timezone policy, matching Jekyll 4.3 (Ruby 3.x) with `timezone:` in _config.yml.
 *
 * Jekyll sets ENV['TZ'] to the site zone and calls `Time#localtime` on every date it keeps
 * (Utils.parse_date, the date filters), so a date always *displays* in the site zone, whatever
 * offset it was written with. Here an Instant carries the site zone's offset at that moment.
 *
 * Nothing in this module reads the machine's zone except `systemTimeZone()`.
 */
import { realpathSync } from 'node:fs';
import type { CalendarParts, Instant } from './types.js';
import { BoundedMemo } from './memo.js';
import { YamlTimestamp } from './content/yaml.js';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

// ---------------------------------------------------------------------------------------------
// Zones and offsets
// ---------------------------------------------------------------------------------------------

/**
 * What offsets are computed from, per zone: building Intl.DateTimeFormat is far slower than using
 * one. UTC and the Etc/ zones never change offset (the tz database defines them so), and asking
 * Intl costs a few microseconds for each of the thousands of dates a build reads and shows, so
 * their offset is worked out once.
 */
interface ZoneOffsets {
  readonly formatter: Intl.DateTimeFormat;
  /** The zone's offset for all time, or null when it changes (daylight saving, history). */
  readonly fixedMs: number | null;
}

const zoneOffsets = new Map<string, ZoneOffsets>();

function zoneOffsetsFor(timeZone: string): ZoneOffsets {
  let zone = zoneOffsets.get(timeZone);
  if (zone === undefined) {
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    } catch {
      throw new RangeError(
        `Unknown time zone "${timeZone}": use an IANA name such as "America/Los_Angeles" or "UTC".`,
      );
    }
    const canonical = formatter.resolvedOptions().timeZone;
    const fixed = canonical === 'UTC' || canonical.startsWith('Etc/');
    zone = { formatter, fixedMs: fixed ? offsetMsFrom(formatter, 0) : null };
    zoneOffsets.set(timeZone, zone);
  }
  return zone;
}

/** The zone's name as Intl spells it (`america/new_york` -> America/New_York); an alias may give its target. */
export function canonicalTimeZone(timeZone: string): string {
  return zoneOffsetsFor(timeZone).formatter.resolvedOptions().timeZone;
}

/** True when Intl knows the zone (IANA names and their aliases, case-insensitive). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneOffsetsFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** "…, GMT-07:00", "…, GMT+05:30", "…, GMT-07:52:58" (local mean time), "…, GMT" (UTC). */
const LONG_OFFSET = /GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

function offsetMsAt(epochMs: number, timeZone: string): number {
  const zone = zoneOffsetsFor(timeZone);
  return zone.fixedMs ?? offsetMsFrom(zone.formatter, epochMs);
}

function offsetMsFrom(formatter: Intl.DateTimeFormat, epochMs: number): number {
  const match = LONG_OFFSET.exec(formatter.format(epochMs));
  if (match === null || match[1] === undefined) return 0;
  const magnitude =
    Number(match[2]) * MS_PER_HOUR +
    Number(match[3] ?? 0) * MS_PER_MINUTE +
    Number(match[4] ?? 0) * MS_PER_SECOND;
  return match[1] === '-' ? -magnitude : magnitude;
}

/**
 * The zone's UTC offset in minutes at an instant. Whole minutes for every modern date; before
 * standard time (e.g. Los Angeles before 1883, local mean time -7:52:58) it keeps the seconds
 * as a fraction, as Ruby does, so wall-clock times stay exact.
 */
export function offsetMinutesAt(epochMs: number, timeZone: string): number {
  return offsetMsAt(epochMs, timeZone) / MS_PER_MINUTE;
}

/** The offset of an Instant in whole milliseconds (offsetMinutes may carry LMT seconds). */
function offsetMsOf(i: Instant): number {
  return Math.round(i.offsetMinutes * MS_PER_MINUTE);
}

/** An instant as seen in a zone: what Ruby's `Time#localtime` gives with ENV['TZ'] set. */
export function instantAt(epochMs: number, timeZone: string): Instant {
  return { epochMs, offsetMinutes: offsetMinutesAt(epochMs, timeZone) };
}

/** The current instant in the zone. */
export function nowInstant(timeZone: string): Instant {
  return instantAt(Date.now(), timeZone);
}

/**
 * The machine's zone, which Jekyll uses when _config.yml has no `timezone`: $TZ as the C library
 * reads it. Intl names IANA zones only (and ignores their case, where the C library finds no
 * zone file and uses UTC); the other forms $TZ takes are read here: a path to a zone file
 * (`:/etc/localtime`, `/usr/share/zoneinfo/Asia/Tokyo`) and a POSIX zone with an offset and no
 * daylight saving (`UTC0`, `EST5`, `JST-9`, `IST-5:30`, `<+03>-3`). A POSIX rule with daylight
 * saving (`CET-1CEST,M3.5.0,M10.5.0/3`) is not read: UTC, which unreadableTimeZone tells.
 */
export function systemTimeZone(tz: string | undefined = process.env.TZ): string {
  if (tz !== undefined && tz !== '') {
    // $TZ is read here: Intl takes some forms it cannot read for UTC without a word.
    if (wrongCase(tz.replace(/^:/, ''))) return 'UTC';
    return zoneOfTz(tz) ?? 'UTC';
  }
  const resolved = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return resolved && resolved !== 'Etc/Unknown' && isValidTimeZone(resolved) ? resolved : 'UTC';
}

/** $TZ when it holds a zone Quire cannot read and so takes as UTC, where Jekyll would not; else null. */
export function unreadableTimeZone(tz: string | undefined = process.env.TZ): string | null {
  if (tz === undefined || tz === '' || wrongCase(tz.replace(/^:/, ''))) return null;
  return zoneOfTz(tz) === null && /^<?[A-Za-z+-]{3,}>?[+-]?\d/.test(tz) ? tz : null;
}

/** An IANA name written in another case (`america/new_york`): no zone file has that name. */
function wrongCase(name: string): boolean {
  if (!/^[A-Za-z]+\/[A-Za-z_/+-]+$/.test(name) || !isValidTimeZone(name)) return false;
  const canonical = canonicalTimeZone(name);
  return canonical !== name && canonical.toLowerCase() === name.toLowerCase();
}

/** A $TZ value (or `timezone:` written so) as an IANA zone: a zone file's path, or a POSIX zone without daylight saving. */
export function zoneOfTz(tz: string): string | null {
  const value = tz.replace(/^:/, '');
  if (value.startsWith('/')) {
    let file = value;
    try {
      file = realpathSync(value);
    } catch {
      // A missing file is read as UTC by the C library.
    }
    const name = /\/zoneinfo\/(?:posix\/|right\/)?(.+)$/.exec(file)?.[1];
    return name !== undefined && isValidTimeZone(name) ? name : null;
  }
  if (isValidTimeZone(value)) return value;
  const posix = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-]?)(\d{1,2})(?::(\d{2}))?$/.exec(value);
  if (posix === null) return null;
  // POSIX's sign is the reverse of ISO's (EST5 is 5 hours behind UTC), as Etc/GMT+5's is.
  const minutesAhead = (posix[1] === '-' ? 1 : -1) * (Number(posix[2]) * 60 + Number(posix[3] ?? 0));
  if (minutesAhead === 0) return 'UTC';
  if (minutesAhead % 60 === 0 && Math.abs(minutesAhead) <= 14 * 60) return `Etc/GMT${minutesAhead > 0 ? '-' : '+'}${Math.abs(minutesAhead) / 60}`;
  return zoneAlwaysAt(minutesAhead);
}

/** An IANA zone whose offset is `minutesAhead` in every season of recent years (+05:30 is Asia/Kolkata). */
function zoneAlwaysAt(minutesAhead: number): string | null {
  const samples = [Date.UTC(2020, 0, 15), Date.UTC(2020, 6, 15), Date.UTC(2025, 0, 15), Date.UTC(2025, 6, 15)];
  return Intl.supportedValuesOf('timeZone').find((zone) => samples.every((at) => offsetMinutesAt(at, zone) === minutesAhead)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Wall-clock time -> Instant
// ---------------------------------------------------------------------------------------------

export interface WallClockParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  readonly millisecond?: number;
}

/**
 * Milliseconds for the fields read as UTC. Unlike Date.UTC, years 0-99 stay years 0-99.
 * Out-of-range fields roll over (Feb 30 -> Mar 1) like Ruby's Time.utc / Time.local.
 */
function utcMsFromFields(p: WallClockParts): number {
  const date = new Date(0);
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour ?? 0, p.minute ?? 0, p.second ?? 0, p.millisecond ?? 0);
  return date.getTime();
}

/**
 * The instant a wall-clock time names in an IANA zone, resolved the way Ruby's `Time.local`
 * (and so Jekyll's `Time.parse`) does under ENV['TZ']:
 * - in a DST gap (2024-03-10 02:30 in Los Angeles) the pre-transition offset is used, so the
 *   clock moves forward by the gap: 03:30 PDT;
 * - in an overlap (2024-11-03 01:30 in Los Angeles) the later instant wins: 01:30 PST.
 * Checked against Ruby 3.1 for every wall time (15-minute steps) within 3 hours of each transition
 * 2008-2025 in 14 zones, including Lord Howe (30-minute DST), Troll (2 hours) and Apia (skipped day).
 */
export function zonedInstant(parts: WallClockParts, timeZone: string): Instant {
  const wallMs = utcMsFromFields(parts);
  const offsetBefore = offsetMsAt(wallMs - MS_PER_DAY, timeZone);
  const offsetAfter = offsetMsAt(wallMs + MS_PER_DAY, timeZone);
  if (offsetBefore === offsetAfter && offsetMsAt(wallMs - offsetBefore, timeZone) === offsetBefore) {
    return { epochMs: wallMs - offsetBefore, offsetMinutes: offsetBefore / MS_PER_MINUTE }; // no transition near
  }
  const offsetNear = offsetMsAt(wallMs, timeZone);
  const matching = [offsetBefore, offsetAfter, offsetNear]
    .map((offset) => wallMs - offset)
    .filter((epochMs) => wallMs - epochMs === offsetMsAt(epochMs, timeZone));
  const epochMs = matching.length > 0 ? Math.max(...matching) : wallMs - offsetBefore;
  return instantAt(epochMs, timeZone);
}

// ---------------------------------------------------------------------------------------------
// Front-matter dates
// ---------------------------------------------------------------------------------------------

export interface ParseDateOptions {
  /**
   * How to read a string value. 'yaml' (default): the text of an unquoted YAML scalar, which Psych
   * reads before Jekyll does (`2024-03-20 10:05:30` becomes 10:05:30 UTC). 'string': a plain
   * string handed to Ruby's Time.parse - a quoted YAML scalar, or a Liquid `date` filter input -
   * where a time without an offset is wall time in the site zone. A YamlTimestamp (an unquoted
   * front matter date) is always read as 'yaml'.
   */
  readonly source?: 'yaml' | 'string';
  /**
   * 'site' (default): shown in the site zone, as Jekyll's Utils.parse_date and date_to_* filters
   * do (Time#localtime). 'written': keep the offset written in the text, as Liquid's `date`
   * filter does (Time.parse, no localtime); text without an offset still uses the site zone.
   */
  readonly display?: 'site' | 'written';
}

export type DateParseResult = Instant | { readonly error: string };

const ACCEPTED_FORMATS =
  'use a date like 2024-03-20, 2024-03-20 10:05, 2024-03-20 10:05:30 or 2024-03-20T10:05:30+01:00';

/** Psych's YAML timestamp (scalar_scanner.rb TIME); unquoted, it becomes a Ruby Time. */
const YAML_TIMESTAMP =
  /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?(?:\s*(Z|[-+]\d{1,2}(?::?\d\d)?))?$/;

/** Psych's YAML date; unquoted, it becomes a Ruby Date, which Jekyll reads as local midnight. */
const YAML_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * The Time.parse forms we accept for strings Psych left alone: ISO-like date and time, seconds
 * optional, optional offset (`Z`, `UTC`, `GMT`, `+01`, `+0100`, `+01:00`). A one-digit offset
 * (`-5`) is an error here: Time.parse silently ignores it, Psych's timestamps accept it.
 */
const LOOSE_DATE_TIME =
  /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?(?:\s*(Z|UTC|GMT|[-+]\d\d(?::?\d\d)?))?$/i;

interface DateFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** Minutes east of UTC; undefined for wall time in the site zone. */
  readonly offsetMinutes: number | undefined;
  /** False when the offset comes from a rule (Psych's UTC default), not from the text. */
  readonly offsetWritten: boolean;
}

/**
 * A front-matter `date:` as Jekyll reads it (Document#merge_date! -> Utils.parse_date, which is
 * `Time.parse(value.to_s).localtime`). The result always carries the site zone's offset: a date
 * written with `+09:00` is the same instant, shown in the site zone (verified with jekyll 4.3.1).
 *
 * Unquoted YAML follows Psych first, then Jekyll:
 * - `2024-03-20` -> midnight in the site zone;
 * - `2024-03-20 10:05:30` (seconds, no offset) -> 10:05:30 **UTC** (Psych's rule);
 * - `2024-03-20 10:05` (no seconds) -> wall time in the site zone (Psych leaves it a string);
 * - fractional seconds are dropped (Jekyll round-trips Psych's Time through `to_s`).
 * Stricter than Ruby: numbers, day overflow (Feb 30), hour 24 and second 60 are errors.
 */
export function parseDateValue(
  value: unknown,
  timeZone: string,
  options: ParseDateOptions = {},
): DateParseResult {
  if (value instanceof Date) return parseJsDate(value, timeZone);
  // An unquoted front matter date: Psych read it before Jekyll did, whatever `source` says.
  if (value instanceof YamlTimestamp) return parseDateValue(value.text, timeZone, { ...options, source: 'yaml' });
  if (typeof value !== 'string') {
    return { error: `Invalid date ${describeValue(value)}: expected a date string; ${ACCEPTED_FORMATS}.` };
  }
  const text = value.trim();
  const fields = readDateFields(text, options.source ?? 'yaml');
  if ('error' in fields) return { error: `Invalid date "${value}": ${fields.error}; ${ACCEPTED_FORMATS}.` };
  const instant = instantFromFields(fields, timeZone);
  if (options.display === 'written' && fields.offsetWritten && fields.offsetMinutes !== undefined) {
    return { epochMs: instant.epochMs, offsetMinutes: fields.offsetMinutes };
  }
  return instant;
}

function parseJsDate(value: Date, timeZone: string): DateParseResult {
  const epochMs = value.getTime();
  if (Number.isNaN(epochMs)) return { error: `Invalid date: the Date object is invalid; ${ACCEPTED_FORMATS}.` };
  return instantAt(epochMs, timeZone);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `(a ${Array.isArray(value) ? 'list' : typeof value})`;
}

function readDateFields(text: string, source: 'yaml' | 'string'): DateFields | { error: string } {
  if (source === 'yaml') {
    const timestamp = YAML_TIMESTAMP.exec(text);
    if (timestamp !== null) return yamlTimestampFields(timestamp);
    const date = YAML_DATE.exec(text);
    if (date !== null) return checkedFields(date, undefined, undefined, undefined, undefined, undefined);
  }
  const loose = LOOSE_DATE_TIME.exec(text);
  if (loose === null) return { error: 'not a date Quire understands' };
  return checkedFields(loose, loose[4], loose[5], loose[6], loose[7], loose[8]);
}

/** Psych's rule: no offset means UTC, and Jekyll's `to_s` round trip drops the fraction. */
function yamlTimestampFields(m: RegExpExecArray): DateFields | { error: string } {
  const fields = checkedFields(m, m[4], m[5], m[6], undefined, m[8] ?? 'Z');
  return 'error' in fields ? fields : { ...fields, offsetWritten: m[8] !== undefined };
}

function checkedFields(
  m: RegExpExecArray,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
  fractionText: string | undefined,
  offsetText: string | undefined,
): DateFields | { error: string } {
  const fields = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(hourText ?? 0),
    minute: Number(minuteText ?? 0),
    second: Number(secondText ?? 0),
    millisecond: Number(((fractionText ?? '') + '000').slice(0, 3)),
    offsetMinutes: offsetText === undefined ? undefined : parseOffsetMinutes(offsetText),
    offsetWritten: offsetText !== undefined,
  };
  const problem = rangeProblem(fields);
  return problem === undefined ? fields : { error: problem };
}

/** `Z`, `UTC`, `GMT`, `+1`, `+01`, `+0100`, `+01:00` -> minutes; NaN when out of range. */
function parseOffsetMinutes(text: string): number {
  if (/^(Z|UTC|GMT)$/i.test(text)) return 0;
  const m = /^([-+])(\d{1,2})(?::?(\d\d))?$/.exec(text);
  if (m === null) return Number.NaN;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 23 || minutes > 59) return Number.NaN;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function rangeProblem(f: DateFields): string | undefined {
  if (f.month < 1 || f.month > 12) return `month ${f.month} is out of range (1-12)`;
  const lastDay = daysInMonth(f.year, f.month);
  if (f.day < 1 || f.day > lastDay) return `day ${f.day} is out of range (${f.year}-${pad2(f.month)} has ${lastDay} days)`;
  if (f.hour > 23) return `hour ${f.hour} is out of range (0-23)`;
  if (f.minute > 59) return `minute ${f.minute} is out of range (0-59)`;
  if (f.second > 59) return `second ${f.second} is out of range (0-59)`;
  if (Number.isNaN(f.offsetMinutes)) return 'the UTC offset is out of range (-23:59 to +23:59)';
  return undefined;
}

function instantFromFields(f: DateFields, timeZone: string): Instant {
  if (f.offsetMinutes === undefined) return zonedInstant(f, timeZone);
  const epochMs = utcMsFromFields(f) - f.offsetMinutes * MS_PER_MINUTE;
  return instantAt(epochMs, timeZone);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------
// Calendar parts
// ---------------------------------------------------------------------------------------------

/** The wall clock at the Instant's own offset (proleptic Gregorian, like Ruby's Time). */
export function calendarParts(i: Instant): CalendarParts {
  const wall = new Date(i.epochMs + offsetMsOf(i));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  const day = wall.getUTCDate();
  return {
    year,
    month,
    day,
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
    yearDay: dayOfYear(year, month, day),
  };
}

function dayOfYear(year: number, month: number, day: number): number {
  let total = day;
  for (let m = 1; m < month; m++) total += daysInMonth(year, m);
  return total;
}

/** ISO 8601 week-numbering year and week (Ruby %G and %V). */
function isoWeek(parts: CalendarParts): { year: number; week: number } {
  const isoWeekday = parts.weekday === 0 ? 7 : parts.weekday;
  const week = Math.floor((parts.yearDay - isoWeekday + 10) / 7);
  if (week < 1) return { year: parts.year - 1, week: isoWeeksInYear(parts.year - 1) };
  if (week > isoWeeksInYear(parts.year)) return { year: parts.year + 1, week: 1 };
  return { year: parts.year, week };
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday. */
function isoWeeksInYear(year: number): number {
  const jan1 = weekdayOfJan1(year);
  return jan1 === 4 || (jan1 === 3 && isLeapYear(year)) ? 53 : 52;
}

function weekdayOfJan1(year: number): number {
  return new Date(utcMsFromFields({ year, month: 1, day: 1 })).getUTCDay();
}

// ---------------------------------------------------------------------------------------------
// Zone abbreviations (%Z)
// ---------------------------------------------------------------------------------------------

/**
 * Alphabetic abbreviations from tzdata (as Ruby's %Z prints them via libc), sampled 1995-2035
 * with Ruby 3.1, grouped as "offsetMinutes=ABBR ...: zones". Zones and offsets not listed use
 * tzdata's numeric form: "+14", "-11", "+0545".
 */
const ZONE_ABBREVIATION_TABLE = `
  60=CET 120=CEST: Africa/Ceuta Africa/Tunis Arctic/Longyearbyen Europe/Amsterdam Europe/Andorra
     Europe/Belgrade Europe/Berlin Europe/Bratislava Europe/Brussels Europe/Budapest Europe/Busingen
     Europe/Copenhagen Europe/Gibraltar Europe/Ljubljana Europe/Luxembourg Europe/Madrid Europe/Malta
     Europe/Monaco Europe/Oslo Europe/Paris Europe/Podgorica Europe/Prague Europe/Rome
     Europe/San_Marino Europe/Sarajevo Europe/Skopje Europe/Stockholm Europe/Tirane Europe/Vaduz
     Europe/Vatican Europe/Vienna Europe/Warsaw Europe/Zagreb Europe/Zurich
  -240=AST: America/Anguilla America/Antigua America/Aruba America/Barbados America/Blanc-Sablon
     America/Curacao America/Dominica America/Grenada America/Guadeloupe America/Kralendijk
     America/Lower_Princes America/Marigot America/Martinique America/Montserrat America/Port_of_Spain
     America/Puerto_Rico America/St_Barthelemy America/St_Kitts America/St_Lucia America/St_Thomas
     America/St_Vincent America/Tortola
  0=GMT: GMT Africa/Abidjan Africa/Accra Africa/Bamako Africa/Banjul Africa/Bissau Africa/Conakry
     Africa/Dakar Africa/Freetown Africa/Lome Africa/Monrovia Africa/Nouakchott Africa/Ouagadougou
     America/Danmarkshavn Atlantic/Reykjavik Atlantic/St_Helena
  120=EET 180=EEST: Africa/Cairo Asia/Beirut Asia/Famagusta Asia/Gaza Asia/Hebron Asia/Nicosia
     Europe/Athens Europe/Bucharest Europe/Chisinau Europe/Helsinki Europe/Kiev Europe/Mariehamn
     Europe/Riga Europe/Sofia Europe/Tallinn
  -360=CST -300=CDT: America/Chicago America/Guatemala America/Indiana/Knox America/Indiana/Tell_City
     America/Managua America/Matamoros America/Menominee America/Merida America/Mexico_City
     America/Monterrey America/North_Dakota/Center America/Rankin_Inlet America/Resolute
     America/Tegucigalpa America/Winnipeg
  60=WAT: Africa/Bangui Africa/Brazzaville Africa/Douala Africa/Kinshasa Africa/Lagos
     Africa/Libreville Africa/Luanda Africa/Malabo Africa/Ndjamena Africa/Niamey Africa/Porto-Novo
  180=EAT: Africa/Addis_Ababa Africa/Asmera Africa/Dar_es_Salaam Africa/Djibouti Africa/Kampala
     Africa/Mogadishu Africa/Nairobi Indian/Antananarivo Indian/Comoro Indian/Mayotte
  -300=EST -240=EDT: America/Detroit America/Grand_Turk America/Indiana/Marengo America/Indiana/Vevay
     America/Indianapolis America/Louisville America/Nassau America/New_York America/Port-au-Prince
     America/Toronto
  120=CAT: Africa/Blantyre Africa/Bujumbura Africa/Gaborone Africa/Harare Africa/Kigali
     Africa/Lubumbashi Africa/Lusaka Africa/Maputo
  -540=AKST -480=AKDT: America/Anchorage America/Juneau America/Metlakatla America/Nome America/Sitka
     America/Yakutat
  -420=MST -360=MDT: America/Boise America/Denver America/Edmonton America/Hermosillo America/Inuvik
     America/Mazatlan
  -360=CST -300=EST -240=EDT: America/Cancun America/Indiana/Petersburg America/Indiana/Vincennes
     America/Indiana/Winamac America/Iqaluit America/Kentucky/Monticello
  -240=AST -180=ADT: America/Glace_Bay America/Goose_Bay America/Halifax America/Moncton America/Thule
     Atlantic/Bermuda
  -420=MST -360=CST -300=CDT: America/Bahia_Banderas America/Chihuahua America/North_Dakota/Beulah
     America/North_Dakota/New_Salem America/Ojinaga
  -360=CST: America/Belize America/Costa_Rica America/El_Salvador America/Regina America/Swift_Current
  120=EET: Asia/Amman Asia/Damascus Europe/Istanbul Europe/Kaliningrad Europe/Minsk
  -300=EST: America/Cayman America/Coral_Harbour America/Jamaica America/Panama
  600=AEST 660=AEDT: Antarctica/Macquarie Australia/Hobart Australia/Melbourne Australia/Sydney
  0=GMT 60=BST: Europe/Guernsey Europe/Isle_of_Man Europe/Jersey Europe/London
  120=SAST: Africa/Johannesburg Africa/Maseru Africa/Mbabane
  -420=MST: America/Creston America/Dawson_Creek America/Phoenix
  -480=PST -420=MST: America/Dawson America/Fort_Nelson America/Whitehorse
  -480=PST -420=PDT: America/Los_Angeles America/Tijuana America/Vancouver
  480=CST: Asia/Macau Asia/Shanghai Asia/Taipei
  0=WET 60=WEST: Atlantic/Canary Atlantic/Faeroe Atlantic/Madeira
  120=CAT 180=EAT: Africa/Juba Africa/Khartoum
  720=NZST 780=NZDT: Antarctica/McMurdo Pacific/Auckland
  420=WIB: Asia/Jakarta Asia/Pontianak
  570=ACST 630=ACDT: Australia/Adelaide Australia/Broken_Hill
  600=AEST: Australia/Brisbane Australia/Lindeman
  180=MSK 240=MSK: Europe/Kirov Europe/Moscow
  600=ChST: Pacific/Guam Pacific/Saipan
  -660=SST: Pacific/Midway Pacific/Pago_Pago
  0=UTC: UTC
  60=CET: Africa/Algiers
  0=GMT 60=WAT: Africa/Sao_Tome
  60=CET 120=EET: Africa/Tripoli
  60=WAT 120=CAT: Africa/Windhoek
  -600=HST -540=HDT: America/Adak
  -420=MST -360=MDT -300=EST: America/Cambridge_Bay
  -420=MST -360=MDT -300=CDT: America/Ciudad_Juarez
  -300=CST -240=CDT: America/Havana
  -300=EST -240=AST: America/Santo_Domingo
  -210=NST -150=NDT: America/St_Johns
  330=IST: Asia/Calcutta
  480=HKT: Asia/Hong_Kong
  540=WIT: Asia/Jayapura
  120=IST 180=IDT: Asia/Jerusalem
  300=PKT 360=PKST: Asia/Karachi
  480=WITA: Asia/Makassar
  480=PST: Asia/Manila
  510=KST 540=KST: Asia/Pyongyang
  540=KST: Asia/Seoul
  540=JST: Asia/Tokyo
  570=ACST: Australia/Darwin
  480=AWST 540=AWDT: Australia/Perth
  0=GMT 60=IST: Europe/Dublin
  0=WET 60=WEST 120=CEST: Europe/Lisbon
  120=EET 180=MSK 240=MSK: Europe/Simferopol
  60=CET 120=EET 180=EEST: Europe/Vilnius
  180=MSK: Europe/Volgograd
  -600=HST: Pacific/Honolulu
`;

let abbreviationsByZone: Map<string, Map<number, string>> | undefined;

function zoneAbbreviations(): Map<string, Map<number, string>> {
  if (abbreviationsByZone !== undefined) return abbreviationsByZone;
  const table = new Map<string, Map<number, string>>();
  let offsets = new Map<number, string>();
  let readingZones = false;
  for (const token of ZONE_ABBREVIATION_TABLE.trim().split(/\s+/)) {
    if (token.includes('=')) {
      if (readingZones) offsets = new Map();
      readingZones = token.endsWith(':');
      const [offset, abbreviation = ''] = token.replace(/:$/, '').split('=');
      offsets.set(Number(offset), abbreviation);
    } else {
      table.set(token, offsets);
    }
  }
  abbreviationsByZone = table;
  return table;
}

/** Ruby prints "GMT" for these names although Intl resolves them to UTC. */
const GMT_ALIASES = /^(Etc\/)?(GMT([+-]?0)?|Greenwich)$/i;

const canonicalZoneNames = new Map<string, string>();

function canonicalZoneName(timeZone: string): string {
  let name = canonicalZoneNames.get(timeZone);
  if (name === undefined) {
    name = GMT_ALIASES.test(timeZone)
      ? 'GMT'
      : new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    canonicalZoneNames.set(timeZone, name);
  }
  return name;
}

/** tzdata's numeric abbreviation: "+09", "-11", "+0530". */
function numericAbbreviation(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const total = Math.trunc(Math.abs(offsetMinutes));
  const minutes = total % 60;
  return sign + pad2(Math.floor(total / 60)) + (minutes === 0 ? '' : pad2(minutes));
}

/** What Ruby's `Time#zone` / %Z prints for this instant in the zone: "PDT", "JST", "UTC", "+14". */
export function zoneAbbreviation(i: Instant, timeZone: string): string {
  if (!Number.isInteger(i.offsetMinutes)) return 'LMT'; // local mean time, before standard time
  const byOffset = zoneAbbreviations().get(canonicalZoneName(timeZone));
  return byOffset?.get(i.offsetMinutes) ?? numericAbbreviation(i.offsetMinutes);
}

// ---------------------------------------------------------------------------------------------
// strftime (Ruby's Time#strftime)
// ---------------------------------------------------------------------------------------------

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Ruby expands these by formatting the sub-format, then pads and upcases the whole. */
const COMPOSITES: Readonly<Record<string, string>> = {
  c: '%a %b %e %H:%M:%S %Y',
  D: '%m/%d/%y',
  x: '%m/%d/%y',
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  X: '%H:%M:%S',
  R: '%H:%M',
  r: '%I:%M:%S %p',
  v: '%e-%^b-%4Y',
};

/** The conversions Ruby allows after the E and O modifiers (which it then ignores). */
const E_MODIFIABLE = 'cCxXyY';
const O_MODIFIABLE = 'deHkIlmMSuUVwWy';

interface Directive {
  /** '-': no padding at all; '_' / '0': pad character; '^': upcase; '#': change case. */
  readonly noPadding: boolean;
  readonly padChar: ' ' | '0' | undefined;
  readonly upcase: boolean;
  readonly changeCase: boolean;
  /** 0 when no width was written. */
  readonly width: number;
  readonly colons: number;
  readonly conversion: string;
}

interface FormatContext {
  readonly instant: Instant;
  readonly parts: CalendarParts;
  readonly timeZone: string | undefined;
}

/**
 * Ruby's Time#strftime for an Instant. `timeZone` names the zone for %Z (Jekyll's dates are
 * always local times in the site zone); without it %Z is empty, as for a Ruby Time that has
 * only a fixed offset. Unknown or malformed directives are copied through as Ruby does; a
 * format that ends inside a directive ("x%", "%5") throws a RangeError, as Ruby raises
 * ArgumentError (which fails a Jekyll build). Sub-millisecond digits of %N are zeros (an Instant
 * has millisecond precision).
 */
export function strftime(i: Instant, format: string, timeZone?: string): string {
  return formatWith({ instant: i, parts: calendarParts(i), timeZone }, format);
}

/** The instant's calendar day in its zone: `2024-03-21`. */
export function dayOf(instant: Instant): string {
  return strftime(instant, '%Y-%m-%d');
}

function formatWith(ctx: FormatContext, format: string): string {
  let out = '';
  for (const piece of compiledFormats.get(format)) out += typeof piece === 'string' ? piece : expandDirective(ctx, piece.directive, piece.literal);
  return out;
}

/** A format's text between directives (and directives Ruby prints as they are), and its directives. */
type FormatPiece = string | { readonly directive: Directive; readonly literal: string };

/** Formats parsed once: a build formats thousands of dates with a handful of formats. */
const compiledFormats = new BoundedMemo<readonly FormatPiece[]>(1000, compileFormat);

function compileFormat(format: string): FormatPiece[] {
  const pieces: FormatPiece[] = [];
  let pos = 0;
  while (pos < format.length) {
    const percent = format.indexOf('%', pos);
    if (percent < 0) {
      pieces.push(format.slice(pos));
      break;
    }
    if (percent > pos) pieces.push(format.slice(pos, percent));
    const parsed = parseDirective(format, percent);
    pieces.push(parsed.directive === undefined ? parsed.literal : { directive: parsed.directive, literal: parsed.literal });
    pos = parsed.end;
  }
  return pieces;
}

interface ParsedDirective {
  readonly directive: Directive | undefined;
  /** The directive's own text, printed when Ruby does not recognise it. */
  readonly literal: string;
  readonly end: number;
}

function parseDirective(format: string, start: number): ParsedDirective {
  let pos = start + 1;
  let noPadding = false;
  let padChar: ' ' | '0' | undefined;
  let upcase = false;
  let changeCase = false;
  for (; pos < format.length && '-_0^#'.includes(format.charAt(pos)); pos++) {
    const flag = format.charAt(pos);
    if (flag === '-') noPadding = true;
    else if (flag === '_') padChar = ' ';
    else if (flag === '0') padChar = '0';
    else if (flag === '^') upcase = true;
    else changeCase = true;
  }
  const widthStart = pos;
  while (pos < format.length && /[0-9]/.test(format.charAt(pos))) pos++;
  const width = pos > widthStart ? Number(format.slice(widthStart, pos)) : 0;
  const colonStart = pos;
  while (pos < format.length && format.charAt(pos) === ':') pos++;
  const colons = pos - colonStart;
  if (colons > 0 && (colons > 3 || format.charAt(pos) !== 'z')) {
    // Ruby stops at the first colon and prints what it has read so far.
    return { directive: undefined, literal: format.slice(start, colonStart + 1), end: colonStart + 1 };
  }
  const modifier = format.charAt(pos);
  if (modifier === 'E' || modifier === 'O') {
    const allowed = modifier === 'E' ? E_MODIFIABLE : O_MODIFIABLE;
    const next = format.charAt(pos + 1);
    if (next === '' || !allowed.includes(next)) {
      // Ruby prints what it has read, up to the modifier, and goes on after it.
      return { directive: undefined, literal: format.slice(start, pos + 1), end: pos + 1 };
    }
    pos++;
  }
  // Ruby raises ArgumentError when the format ends inside a directive ("x%", "%5", "%-").
  if (pos >= format.length) throw new RangeError(`invalid format: ${format}`);
  const conversion = format.charAt(pos);
  const literal = format.slice(start, pos + 1);
  const directive = { noPadding, padChar, upcase, changeCase, width, colons, conversion };
  return { directive, literal, end: pos + 1 };
}

function expandDirective(ctx: FormatContext, d: Directive, literal: string): string {
  const composite = COMPOSITES[d.conversion];
  if (composite !== undefined) return expandComposite(ctx, d, composite);
  const p = ctx.parts;
  switch (d.conversion) {
    case 'Y': return formatYear(p.year, d);
    case 'C': return formatNumber(Math.floor(p.year / 100), 2, '0', d);
    case 'y': return formatNumber(mod(p.year, 100), 2, '0', d);
    case 'm': return formatNumber(p.month, 2, '0', d);
    case 'B': return formatText(MONTH_NAMES[p.month - 1] ?? '', d, 'upcase');
    case 'b':
    case 'h': return formatText((MONTH_NAMES[p.month - 1] ?? '').slice(0, 3), d, 'upcase');
    case 'd': return formatNumber(p.day, 2, '0', d);
    case 'e': return formatNumber(p.day, 2, ' ', d);
    case 'j': return formatNumber(p.yearDay, 3, '0', d);
    case 'H': return formatNumber(p.hour, 2, '0', d);
    case 'k': return formatNumber(p.hour, 2, ' ', d);
    case 'I': return formatNumber(twelveHour(p.hour), 2, '0', d);
    case 'l': return formatNumber(twelveHour(p.hour), 2, ' ', d);
    case 'M': return formatNumber(p.minute, 2, '0', d);
    case 'S': return formatNumber(p.second, 2, '0', d);
    case 'L': return fractionDigits(ctx.instant, d.width || 3);
    case 'N': return fractionDigits(ctx.instant, d.width || 9);
    case 'p': return formatText(p.hour < 12 ? 'AM' : 'PM', d, 'downcase');
    case 'P': return formatText(p.hour < 12 ? 'am' : 'pm', d, 'upcase');
    case 'A': return formatText(DAY_NAMES[p.weekday] ?? '', d, 'upcase');
    case 'a': return formatText((DAY_NAMES[p.weekday] ?? '').slice(0, 3), d, 'upcase');
    case 'u': return formatNumber(p.weekday === 0 ? 7 : p.weekday, 1, '0', d);
    case 'w': return formatNumber(p.weekday, 1, '0', d);
    case 'U': return formatNumber(Math.floor((p.yearDay - 1 + 7 - p.weekday) / 7), 2, '0', d);
    case 'W': return formatNumber(Math.floor((p.yearDay - 1 + 7 - ((p.weekday + 6) % 7)) / 7), 2, '0', d);
    case 'G': return formatYear(isoWeek(p).year, d);
    case 'g': return formatNumber(mod(isoWeek(p).year, 100), 2, '0', d);
    case 'V': return formatNumber(isoWeek(p).week, 2, '0', d);
    case 'z': return formatOffset(ctx.instant, d);
    case 'Z': return formatText(ctx.timeZone === undefined ? '' : zoneAbbreviation(ctx.instant, ctx.timeZone), d, 'downcase');
    case 's': return formatNumber(Math.floor(ctx.instant.epochMs / MS_PER_SECOND), 1, '0', d);
    case '%': return formatText('%', d, 'none');
    case 'n': return formatText('\n', d, 'none');
    case 't': return formatText('\t', d, 'none');
    default: return literal;
  }
}

function expandComposite(ctx: FormatContext, d: Directive, subFormat: string): string {
  const text = formatWith(ctx, subFormat);
  const cased = d.upcase ? text.toUpperCase() : text;
  return cased.padStart(d.width, d.padChar === '0' ? '0' : ' ');
}

/** Ruby's FMT: printf-style, the '-' flag drops all padding, '0' pads after the sign. */
function formatNumber(value: number, defaultWidth: number, defaultPad: ' ' | '0', d: Directive): string {
  if (d.noPadding) return String(value);
  const width = d.width > 0 ? d.width : defaultWidth;
  const pad = d.padChar ?? defaultPad;
  if (pad === ' ') return String(value).padStart(width, ' ');
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.abs(value)).padStart(width - sign.length, '0');
}

/** %Y and %G: at least 4 digits, 5 characters when negative ("-0006"). */
function formatYear(year: number, d: Directive): string {
  return formatNumber(year, year < 0 ? 5 : 4, '0', d);
}

/**
 * Names and letters: '^' upcases; '#' upcases names but downcases %p and %Z ('caseChange'
 * says which); width pads on the left with spaces (or zeros with the '0' flag).
 */
function formatText(text: string, d: Directive, caseChange: 'upcase' | 'downcase' | 'none'): string {
  let result = text;
  if (d.changeCase && caseChange === 'downcase') result = result.toLowerCase();
  else if (d.changeCase && caseChange === 'upcase') result = result.toUpperCase();
  else if (d.upcase) result = result.toUpperCase();
  if (d.noPadding) return result;
  return result.padStart(d.width, d.padChar ?? ' ');
}

/** %L / %N: the first `digits` digits of the fraction of a second, truncated, zero-extended. */
function fractionDigits(i: Instant, digits: number): string {
  const millis = String(mod(i.epochMs, MS_PER_SECOND)).padStart(3, '0');
  return (millis + '0'.repeat(Math.max(0, digits - 3))).slice(0, digits);
}

/**
 * %z "+hhmm", %:z "+hh:mm", %::z "+hh:mm:ss", %:::z "+hh[:mm[:ss]]". A width widens the
 * signed hours; '_' pads them with spaces before the sign, otherwise zeros after it.
 */
function formatOffset(i: Instant, d: Directive): string {
  const totalSeconds = Math.round(i.offsetMinutes * 60);
  const sign = totalSeconds < 0 ? '-' : '+';
  const magnitude = Math.abs(totalSeconds);
  const hours = Math.floor(magnitude / 3600);
  const minutes = Math.floor(magnitude / 60) % 60;
  const seconds = magnitude % 60;
  const rest = offsetTail(d.colons, minutes, seconds);
  const defaultWidth = d.colons === 3 ? 3 + rest.length : [5, 6, 9][d.colons] ?? 5;
  const hoursWidth = Math.max((d.width > 0 ? d.width : defaultWidth) - rest.length, 3);
  const signedHours =
    d.padChar === ' '
      ? (sign + String(hours)).padStart(hoursWidth, ' ')
      : sign + String(hours).padStart(hoursWidth - 1, '0');
  return signedHours + rest;
}

function offsetTail(colons: number, minutes: number, seconds: number): string {
  switch (colons) {
    case 0: return pad2(minutes);
    case 1: return ':' + pad2(minutes);
    case 2: return ':' + pad2(minutes) + ':' + pad2(seconds);
    default:
      if (seconds !== 0) return ':' + pad2(minutes) + ':' + pad2(seconds);
      return minutes !== 0 ? ':' + pad2(minutes) : '';
  }
}

function twelveHour(hour: number): number {
  return hour % 12 === 0 ? 12 : hour % 12;
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Jekyll's date filters (lib/jekyll/filters/date_filters.rb)
// ---------------------------------------------------------------------------------------------

/** `date_to_xmlschema`: Ruby's Time#xmlschema of a local time, "2024-03-20T10:05:30-07:00". */
export function dateToXmlschema(i: Instant): string {
  return strftime(i, '%Y-%m-%dT%H:%M:%S%:z');
}

/** `date_to_rfc822`: Ruby's Time#rfc2822 of a local time, "Wed, 20 Mar 2024 10:05:30 -0700". */
export function dateToRfc822(i: Instant): string {
  return strftime(i, '%a, %d %b %Y %H:%M:%S %z');
}

/** `date_to_string`: "20 Mar 2024"; ("ordinal") "20th Mar 2024"; ("ordinal", "US") "Mar 20th, 2024". */
export function dateToString(i: Instant, type?: string, style?: string): string {
  return stringifyDate(i, '%b', type, style);
}

/** `date_to_long_string`: like dateToString with the full month name. */
export function dateToLongString(i: Instant, type?: string, style?: string): string {
  return stringifyDate(i, '%B', type, style);
}

/** Jekyll compares `type == "ordinal"` and `style == "US"` exactly; anything else is the default. */
function stringifyDate(i: Instant, monthFormat: string, type?: string, style?: string): string {
  if (type !== 'ordinal') return strftime(i, `%d ${monthFormat} %Y`);
  const day = calendarParts(i).day;
  const ordinalDay = `${day}${ordinalSuffix(day)}`;
  if (style === 'US') return strftime(i, `${monthFormat} ${ordinalDay}, %Y`);
  return strftime(i, `${ordinalDay} ${monthFormat} %Y`);
}

function ordinalSuffix(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}
