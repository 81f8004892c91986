/**
 * Expected values come from Ruby 3.1 / Jekyll 4.3.1 on this machine (ENV['TZ'] set to the zone,
 * Psych + Time.parse + Time#localtime, Time#strftime), so the tables are Jekyll's behaviour.
 * Nothing here may depend on the machine zone: this file also runs under TZ=Pacific/Kiritimati.
 */
import { describe, expect, it } from 'vitest';
import {
  calendarParts,
  dateToLongString,
  dateToRfc822,
  dateToString,
  dateToXmlschema,
  instantAt,
  isValidTimeZone,
  nowInstant,
  offsetMinutesAt,
  parseDateValue,
  strftime,
  systemTimeZone,
  zonedInstant,
  zoneAbbreviation,
} from '../src/dates.js';
import type { Instant } from '../src/types.js';

const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'] as const;

/** Ruby's Time#to_s: the wall clock and offset an Instant shows. */
const show = (i: Instant): string => strftime(i, '%Y-%m-%d %H:%M:%S %z');
const ms = (iso: string): number => Date.parse(iso);

function parsed(value: unknown, zone: string, options?: Parameters<typeof parseDateValue>[2]): Instant {
  const result = parseDateValue(value, zone, options);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('offsetMinutesAt', () => {
  it.each([
    ['UTC', '2024-03-20T12:00:00Z', 0],
    ['America/Los_Angeles', '2024-01-15T12:00:00Z', -480],
    ['America/Los_Angeles', '2024-07-15T12:00:00Z', -420],
    ['America/Los_Angeles', '2024-03-10T09:59:59.999Z', -480],
    ['America/Los_Angeles', '2024-03-10T10:00:00Z', -420],
    ['America/Los_Angeles', '2024-11-03T08:59:59.999Z', -420],
    ['America/Los_Angeles', '2024-11-03T09:00:00Z', -480],
    ['Asia/Tokyo', '2024-03-20T12:00:00Z', 540],
    ['Pacific/Kiritimati', '2024-03-20T12:00:00Z', 840],
    ['Pacific/Kiritimati', '1994-12-30T12:00:00Z', -600],
    ['Pacific/Pago_Pago', '2024-03-20T12:00:00Z', -660],
    ['Asia/Kolkata', '2024-03-20T12:00:00Z', 330],
    ['Asia/Kathmandu', '2024-03-20T12:00:00Z', 345],
    ['Australia/Lord_Howe', '2024-01-15T12:00:00Z', 660],
    ['Australia/Lord_Howe', '2024-07-15T12:00:00Z', 630],
    // Local mean time before 1883 keeps its seconds (-7:52:58), as Ruby's utc_offset does.
    ['America/Los_Angeles', '1850-06-01T12:00:00Z', -28378 / 60],
  ])('%s at %s is %d', (zone, iso, expected) => {
    expect(offsetMinutesAt(ms(iso), zone)).toBe(expected);
  });

  // UTC and the Etc/ zones take their offset once instead of asking Intl for each date: the answer
  // must be what Intl gives at every date, for every name that resolves to such a zone.
  it.each([
    ['UTC', 0],
    ['utc', 0],
    ['Etc/UTC', 0],
    ['GMT', 0],
    ['Zulu', 0],
    ['Etc/GMT+5', -300],
    ['Etc/GMT-14', 840],
  ])('%s keeps the offset %d at every date, as Intl reports it', (zone, expected) => {
    const intl = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    const intlMinutes = (epochMs: number): number => {
      const [, sign, hours, minutes] = /GMT(?:([+-])(\d\d):(\d\d))?$/.exec(intl.format(epochMs))!;
      return sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
    };
    for (let year = 1800; year <= 2100; year += 7) {
      for (const month of [0, 3, 6, 9]) {
        const epochMs = Date.UTC(year, month, 15, 1, 30);
        expect(offsetMinutesAt(epochMs, zone)).toBe(expected);
        expect(offsetMinutesAt(epochMs, zone)).toBe(intlMinutes(epochMs));
      }
    }
  });

  it('still follows the changes of zones that merely share a name or an offset with UTC', () => {
    // Europe/London is UTC in winter only; Africa/Abidjan has been UTC since 1912, not before.
    expect(offsetMinutesAt(ms('2024-01-15T12:00:00Z'), 'Europe/London')).toBe(0);
    expect(offsetMinutesAt(ms('2024-07-15T12:00:00Z'), 'Europe/London')).toBe(60);
    expect(offsetMinutesAt(ms('1900-01-01T12:00:00Z'), 'Africa/Abidjan')).not.toBe(0);
  });

  it('rejects unknown zones with a RangeError naming the zone', () => {
    expect(() => offsetMinutesAt(0, 'Mars/Olympus_Mons')).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
  });
});

describe('zonedInstant (wall clock in a zone, Ruby Time.local rules)', () => {
  // [zone, wall time, instant (UTC), offset minutes] from Time.parse under ENV['TZ'].
  it.each([
    ["America/Los_Angeles", "2024-03-10 02:30", "2024-03-10T10:30:00Z", -420],
    ["America/Los_Angeles", "2024-03-10 01:59:59", "2024-03-10T09:59:59Z", -480],
    ["America/Los_Angeles", "2024-03-10 03:00", "2024-03-10T10:00:00Z", -420],
    ["America/Los_Angeles", "2024-11-03 01:30", "2024-11-03T09:30:00Z", -480],
    ["America/Los_Angeles", "2024-11-03 00:59", "2024-11-03T07:59:00Z", -420],
    ["America/Los_Angeles", "2024-11-03 02:00", "2024-11-03T10:00:00Z", -480],
    ["Europe/Berlin", "2024-03-31 02:30", "2024-03-31T01:30:00Z", 120],
    ["Europe/Berlin", "2024-10-27 02:30", "2024-10-27T01:30:00Z", 60],
    ["Australia/Sydney", "2024-10-06 02:30", "2024-10-05T16:30:00Z", 660],
    ["Australia/Sydney", "2024-04-07 02:30", "2024-04-06T16:30:00Z", 600],
    ["Australia/Lord_Howe", "2024-10-06 02:15", "2024-10-05T15:45:00Z", 660],
    ["Australia/Lord_Howe", "2024-04-07 01:45", "2024-04-06T15:15:00Z", 630],
    ["Europe/Dublin", "2024-10-27 01:30", "2024-10-27T01:30:00Z", 0],
    ["Pacific/Kiritimati", "1994-12-31 12:00", "1994-12-31T22:00:00Z", 840],
    ["Pacific/Kiritimati", "2024-03-20 00:00", "2024-03-19T10:00:00Z", 840],
    ["Pacific/Pago_Pago", "2024-03-20 00:00", "2024-03-20T11:00:00Z", -660],
    ["Pacific/Apia", "2011-12-30 12:00", "2011-12-30T22:00:00Z", 840],
    ["Asia/Tokyo", "2024-03-20 23:59:59", "2024-03-20T14:59:59Z", 540],
    ["UTC", "2024-02-29 00:00", "2024-02-29T00:00:00Z", 0],
  ])('%s %s -> %s (%d)', (zone, wall, utc, offset) => {
    const m = /^(\d+)-(\d+)-(\d+) (\d+):(\d+)(?::(\d+))?$/.exec(wall)!;
    const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
    const i = zonedInstant({ year: year!, month: month!, day: day!, hour, minute, second }, zone);
    expect(new Date(i.epochMs).toISOString().replace('.000', '')).toBe(utc);
    expect(i.offsetMinutes).toBe(offset);
  });

  it('defaults the time to midnight and keeps years below 100', () => {
    expect(show(zonedInstant({ year: 2024, month: 3, day: 20 }, 'Pacific/Kiritimati'))).toBe('2024-03-20 00:00:00 +1400');
    expect(show(zonedInstant({ year: 99, month: 6, day: 15 }, 'UTC'))).toBe('0099-06-15 00:00:00 +0000');
  });
});

describe('parseDateValue: front-matter dates as Jekyll reads them', () => {
  // [YAML text, site zone, Jekyll page.date (unquoted: Psych then Time.parse.localtime),
  //  Time.parse(text).localtime (quoted YAML or a Liquid filter input)]
  const rows: ReadonlyArray<readonly [string, string, string, string]> = [
    ["2024-03-20", "UTC", "2024-03-20 00:00:00 +0000", "2024-03-20 00:00:00.000 +0000"],
    ["2024-03-20", "America/Los_Angeles", "2024-03-20 00:00:00 -0700", "2024-03-20 00:00:00.000 -0700"],
    ["2024-03-20", "Asia/Tokyo", "2024-03-20 00:00:00 +0900", "2024-03-20 00:00:00.000 +0900"],
    ["2024-03-20", "Pacific/Kiritimati", "2024-03-20 00:00:00 +1400", "2024-03-20 00:00:00.000 +1400"],
    ["2024-03-20", "Pacific/Pago_Pago", "2024-03-20 00:00:00 -1100", "2024-03-20 00:00:00.000 -1100"],
    ["2024-03-20 10:05", "UTC", "2024-03-20 10:05:00 +0000", "2024-03-20 10:05:00.000 +0000"],
    ["2024-03-20 10:05", "America/Los_Angeles", "2024-03-20 10:05:00 -0700", "2024-03-20 10:05:00.000 -0700"],
    ["2024-03-20 10:05", "Asia/Tokyo", "2024-03-20 10:05:00 +0900", "2024-03-20 10:05:00.000 +0900"],
    ["2024-03-20 10:05", "Pacific/Kiritimati", "2024-03-20 10:05:00 +1400", "2024-03-20 10:05:00.000 +1400"],
    ["2024-03-20 10:05", "Pacific/Pago_Pago", "2024-03-20 10:05:00 -1100", "2024-03-20 10:05:00.000 -1100"],
    ["2024-03-20 10:05:30", "UTC", "2024-03-20 10:05:30 +0000", "2024-03-20 10:05:30.000 +0000"],
    ["2024-03-20 10:05:30", "America/Los_Angeles", "2024-03-20 03:05:30 -0700", "2024-03-20 10:05:30.000 -0700"],
    ["2024-03-20 10:05:30", "Asia/Tokyo", "2024-03-20 19:05:30 +0900", "2024-03-20 10:05:30.000 +0900"],
    ["2024-03-20 10:05:30", "Pacific/Kiritimati", "2024-03-21 00:05:30 +1400", "2024-03-20 10:05:30.000 +1400"],
    ["2024-03-20 10:05:30", "Pacific/Pago_Pago", "2024-03-19 23:05:30 -1100", "2024-03-20 10:05:30.000 -1100"],
    ["2024-03-20T10:05:30Z", "UTC", "2024-03-20 10:05:30 +0000", "2024-03-20 10:05:30.000 +0000"],
    ["2024-03-20T10:05:30Z", "America/Los_Angeles", "2024-03-20 03:05:30 -0700", "2024-03-20 03:05:30.000 -0700"],
    ["2024-03-20T10:05:30Z", "Asia/Tokyo", "2024-03-20 19:05:30 +0900", "2024-03-20 19:05:30.000 +0900"],
    ["2024-03-20T10:05:30Z", "Pacific/Kiritimati", "2024-03-21 00:05:30 +1400", "2024-03-21 00:05:30.000 +1400"],
    ["2024-03-20T10:05:30Z", "Pacific/Pago_Pago", "2024-03-19 23:05:30 -1100", "2024-03-19 23:05:30.000 -1100"],
    ["2024-03-20 10:05:30 +0100", "UTC", "2024-03-20 09:05:30 +0000", "2024-03-20 09:05:30.000 +0000"],
    ["2024-03-20 10:05:30 +0100", "America/Los_Angeles", "2024-03-20 02:05:30 -0700", "2024-03-20 02:05:30.000 -0700"],
    ["2024-03-20 10:05:30 +0100", "Asia/Tokyo", "2024-03-20 18:05:30 +0900", "2024-03-20 18:05:30.000 +0900"],
    ["2024-03-20 10:05:30 +0100", "Pacific/Kiritimati", "2024-03-20 23:05:30 +1400", "2024-03-20 23:05:30.000 +1400"],
    ["2024-03-20 10:05:30 +0100", "Pacific/Pago_Pago", "2024-03-19 22:05:30 -1100", "2024-03-19 22:05:30.000 -1100"],
    ["2024-03-20T10:05:30+09:00", "UTC", "2024-03-20 01:05:30 +0000", "2024-03-20 01:05:30.000 +0000"],
    ["2024-03-20T10:05:30+09:00", "America/Los_Angeles", "2024-03-19 18:05:30 -0700", "2024-03-19 18:05:30.000 -0700"],
    ["2024-03-20T10:05:30+09:00", "Asia/Tokyo", "2024-03-20 10:05:30 +0900", "2024-03-20 10:05:30.000 +0900"],
    ["2024-03-20T10:05:30+09:00", "Pacific/Kiritimati", "2024-03-20 15:05:30 +1400", "2024-03-20 15:05:30.000 +1400"],
    ["2024-03-20T10:05:30+09:00", "Pacific/Pago_Pago", "2024-03-19 14:05:30 -1100", "2024-03-19 14:05:30.000 -1100"],
    ["2024-03-20 10:05:30.123 -05:00", "UTC", "2024-03-20 15:05:30 +0000", "2024-03-20 15:05:30.123 +0000"],
    ["2024-03-20 10:05:30.123 -05:00", "America/Los_Angeles", "2024-03-20 08:05:30 -0700", "2024-03-20 08:05:30.123 -0700"],
    ["2024-03-20 10:05:30.123 -05:00", "Asia/Tokyo", "2024-03-21 00:05:30 +0900", "2024-03-21 00:05:30.123 +0900"],
    ["2024-03-20 10:05:30.123 -05:00", "Pacific/Kiritimati", "2024-03-21 05:05:30 +1400", "2024-03-21 05:05:30.123 +1400"],
    ["2024-03-20 10:05:30.123 -05:00", "Pacific/Pago_Pago", "2024-03-20 04:05:30 -1100", "2024-03-20 04:05:30.123 -1100"],
    ["2024-3-5", "UTC", "2024-03-05 00:00:00 +0000", "2024-03-05 00:00:00.000 +0000"],
    ["2024-3-5", "America/Los_Angeles", "2024-03-05 00:00:00 -0800", "2024-03-05 00:00:00.000 -0800"],
    ["2024-3-5", "Asia/Tokyo", "2024-03-05 00:00:00 +0900", "2024-03-05 00:00:00.000 +0900"],
    ["2024-3-5", "Pacific/Kiritimati", "2024-03-05 00:00:00 +1400", "2024-03-05 00:00:00.000 +1400"],
    ["2024-3-5", "Pacific/Pago_Pago", "2024-03-05 00:00:00 -1100", "2024-03-05 00:00:00.000 -1100"],
    ["2024-03-20 23:30", "UTC", "2024-03-20 23:30:00 +0000", "2024-03-20 23:30:00.000 +0000"],
    ["2024-03-20 23:30", "America/Los_Angeles", "2024-03-20 23:30:00 -0700", "2024-03-20 23:30:00.000 -0700"],
    ["2024-03-20 23:30", "Asia/Tokyo", "2024-03-20 23:30:00 +0900", "2024-03-20 23:30:00.000 +0900"],
    ["2024-03-20 23:30", "Pacific/Kiritimati", "2024-03-20 23:30:00 +1400", "2024-03-20 23:30:00.000 +1400"],
    ["2024-03-20 23:30", "Pacific/Pago_Pago", "2024-03-20 23:30:00 -1100", "2024-03-20 23:30:00.000 -1100"],
    ["2024-03-20T10:05:30", "UTC", "2024-03-20 10:05:30 +0000", "2024-03-20 10:05:30.000 +0000"],
    ["2024-03-20T10:05:30", "America/Los_Angeles", "2024-03-20 03:05:30 -0700", "2024-03-20 10:05:30.000 -0700"],
    ["2024-03-20T10:05:30", "Asia/Tokyo", "2024-03-20 19:05:30 +0900", "2024-03-20 10:05:30.000 +0900"],
    ["2024-03-20T10:05:30", "Pacific/Kiritimati", "2024-03-21 00:05:30 +1400", "2024-03-20 10:05:30.000 +1400"],
    ["2024-03-20T10:05:30", "Pacific/Pago_Pago", "2024-03-19 23:05:30 -1100", "2024-03-20 10:05:30.000 -1100"],
    ["2024-03-20 10:05:30 UTC", "UTC", "2024-03-20 10:05:30 +0000", "2024-03-20 10:05:30.000 +0000"],
    ["2024-03-20 10:05:30 UTC", "America/Los_Angeles", "2024-03-20 03:05:30 -0700", "2024-03-20 03:05:30.000 -0700"],
    ["2024-03-20 10:05:30 UTC", "Asia/Tokyo", "2024-03-20 19:05:30 +0900", "2024-03-20 19:05:30.000 +0900"],
    ["2024-03-20 10:05:30 UTC", "Pacific/Kiritimati", "2024-03-21 00:05:30 +1400", "2024-03-21 00:05:30.000 +1400"],
    ["2024-03-20 10:05:30 UTC", "Pacific/Pago_Pago", "2024-03-19 23:05:30 -1100", "2024-03-19 23:05:30.000 -1100"],
  ];

  it.each(rows)('%s in %s (unquoted YAML) -> %s', (text, zone, jekyll) => {
    expect(show(parsed(text, zone))).toBe(jekyll);
  });

  it.each(rows)('%s in %s (plain string) -> %s', (text, zone, _jekyll, timeParse) => {
    expect(strftime(parsed(text, zone, { source: 'string' }), '%Y-%m-%d %H:%M:%S.%L %z')).toBe(timeParse);
  });

  it.each([
    // Psych reads seconds without an offset as UTC; without seconds it stays a string = wall time.
    ['2024-03-20 10:05:30', 'America/Los_Angeles', '2024-03-20T10:05:30.000Z'],
    ['2024-03-20 10:05', 'America/Los_Angeles', '2024-03-20T17:05:00.000Z'],
    ['2024-03-20', 'Pacific/Kiritimati', '2024-03-19T10:00:00.000Z'],
    ['2024-03-20', 'Pacific/Pago_Pago', '2024-03-20T11:00:00.000Z'],
    // Jekyll's Time#to_s round trip drops fractional seconds of YAML timestamps.
    ['2024-03-20 10:05:30.999 +01:00', 'UTC', '2024-03-20T09:05:30.000Z'],
    ['  2024-03-20 10:05:30Z  ', 'UTC', '2024-03-20T10:05:30.000Z'],
    ['2024-03-20 10:05:30 -5', 'UTC', '2024-03-20T15:05:30.000Z'],
    ['2024-03-20 10:05:30 +14:00', 'Pacific/Pago_Pago', '2024-03-19T20:05:30.000Z'],
  ])('%s in %s is the instant %s', (text, zone, iso) => {
    expect(new Date(parsed(text, zone).epochMs).toISOString()).toBe(iso);
  });

  it('converts a date written with an offset to the site zone (Utils.parse_date calls #localtime)', () => {
    const i = parsed('2024-03-20T10:05:30+09:00', 'America/Los_Angeles');
    expect(i.offsetMinutes).toBe(-420);
    expect(strftime(i, '%Y/%m/%d %H:%M %Z', 'America/Los_Angeles')).toBe('2024/03/19 18:05 PDT');
  });

  it("keeps the written offset on request (Liquid's date filter does not call #localtime)", () => {
    const written = parsed('2024-03-20 10:05:30 +0100', 'America/Los_Angeles', { source: 'string', display: 'written' });
    expect(show(written)).toBe('2024-03-20 10:05:30 +0100');
    const wall = parsed('2024-03-20 10:05:30', 'America/Los_Angeles', { source: 'string', display: 'written' });
    expect(show(wall)).toBe('2024-03-20 10:05:30 -0700');
  });

  it('treats a JS Date as an instant shown in the site zone', () => {
    const i = parsed(new Date('2024-03-20T10:05:30.250Z'), 'Asia/Tokyo');
    expect(strftime(i, '%F %T.%L %z')).toBe('2024-03-20 19:05:30.250 +0900');
  });

  it.each([
    [20240320, /Invalid date 20240320: expected a date string/],
    [null, /Invalid date null/],
    [undefined, /Invalid date undefined/],
    [true, /Invalid date true/],
    [['2024-03-20'], /Invalid date \(a list\)/],
    [{ year: 2024 }, /Invalid date \(a object\)/],
    ['garbage', /Invalid date "garbage": not a date Quire understands/],
    ['2024-13-01', /month 13 is out of range \(1-12\)/],
    ['2024-00-10 10:00:00', /month 0 is out of range/],
    ['2024-02-30', /day 30 is out of range \(2024-02 has 29 days\)/],
    ['2023-02-29 10:00:00', /day 29 is out of range \(2023-02 has 28 days\)/],
    ['2024-04-31', /day 31 is out of range \(2024-04 has 30 days\)/],
    ['2024-03-20 25:00', /hour 25 is out of range/],
    ['2024-03-20 24:00:00', /hour 24 is out of range/],
    ['2024-03-20 10:60', /minute 60 is out of range/],
    ['2024-03-20 10:05:60', /second 60 is out of range/],
    ['2024-03-20 10:05 -5', /not a date Quire understands/],
    ['2024-03-20 10:05:30 +25:00', /UTC offset is out of range/],
    ['2024/03/20', /not a date Quire understands/],
    ['March 20, 2024', /not a date Quire understands/],
    ['2024-03-20 10:05:30 +0100 extra', /not a date Quire understands/],
    ['', /not a date Quire understands/],
    [new Date(Number.NaN), /the Date object is invalid/],
  ])('rejects %j', (value, message) => {
    const result = parseDateValue(value, 'UTC');
    expect(result).toHaveProperty('error');
    const error = (result as { error: string }).error;
    expect(error).toMatch(message);
    expect(error).toMatch(/use a date like 2024-03-20, 2024-03-20 10:05/);
  });
});

describe('calendarParts', () => {
  it.each([
    // The same instant is a different day in the two zones 25 hours apart.
    ['Pacific/Kiritimati', '2024-03-20T10:30:00Z', [2024, 3, 21, 0, 30, 0, 4, 81]],
    ['Pacific/Pago_Pago', '2024-03-20T10:30:00Z', [2024, 3, 19, 23, 30, 0, 2, 79]],
    ['UTC', '2024-12-31T23:59:59Z', [2024, 12, 31, 23, 59, 59, 2, 366]],
    ['Asia/Tokyo', '2024-12-31T15:00:00Z', [2025, 1, 1, 0, 0, 0, 3, 1]],
    ['America/Los_Angeles', '2024-03-01T07:59:59Z', [2024, 2, 29, 23, 59, 59, 4, 60]],
    ['America/Los_Angeles', '1850-06-01T12:00:00Z', [1850, 6, 1, 4, 7, 2, 6, 152]],
  ] as const)('%s at %s', (zone, iso, [year, month, day, hour, minute, second, weekday, yearDay]) => {
    expect(calendarParts(instantAt(ms(iso), zone))).toEqual({ year, month, day, hour, minute, second, weekday, yearDay });
  });
});

describe("strftime (Ruby's Time#strftime)", () => {
  // 2024-03-20 02:05:30.123 PDT
  const la = instantAt(1710925530123, 'America/Los_Angeles');
  it.each([
    ["%Y", "2024"],
    ["%C", "20"],
    ["%y", "24"],
    ["%m", "03"],
    ["%B", "March"],
    ["%b", "Mar"],
    ["%h", "Mar"],
    ["%d", "20"],
    ["%e", "20"],
    ["%j", "080"],
    ["%H", "02"],
    ["%k", " 2"],
    ["%I", "02"],
    ["%l", " 2"],
    ["%M", "05"],
    ["%S", "30"],
    ["%L", "123"],
    ["%N", "123000000"],
    ["%3N", "123"],
    ["%6N", "123000"],
    ["%9N", "123000000"],
    ["%12N", "123000000000"],
    ["%p", "AM"],
    ["%P", "am"],
    ["%A", "Wednesday"],
    ["%a", "Wed"],
    ["%u", "3"],
    ["%w", "3"],
    ["%U", "11"],
    ["%W", "12"],
    ["%G", "2024"],
    ["%g", "24"],
    ["%V", "12"],
    ["%z", "-0700"],
    ["%:z", "-07:00"],
    ["%::z", "-07:00:00"],
    ["%:::z", "-07"],
    ["%Z", "PDT"],
    ["%s", "1710925530"],
    ["%%", "%"],
    ["%F", "2024-03-20"],
    ["%T", "02:05:30"],
    ["%D", "03/20/24"],
    ["%R", "02:05"],
    ["%r", "02:05:30 AM"],
    ["%c", "Wed Mar 20 02:05:30 2024"],
    ["%x", "03/20/24"],
    ["%X", "02:05:30"],
    ["%v", "20-MAR-2024"],
    ["%-d", "20"],
    ["%-m", "3"],
    ["%_m", " 3"],
    ["%0e", "20"],
    ["%^B", "MARCH"],
    ["%^a", "WED"],
    ["%#a", "WED"],
    ["%#b", "MAR"],
    ["%#p", "am"],
    ["%#P", "AM"],
    ["%^p", "AM"],
    ["%#Z", "pdt"],
    ["%^Z", "PDT"],
    ["%10Y", "0000002024"],
    ["%-10Y", "2024"],
    ["%_10Y", "      2024"],
    ["%3Y", "2024"],
    ["%5d", "00020"],
    ["%_5d", "   20"],
    ["%010B", "00000March"],
    ["%^10B", "     MARCH"],
    ["%-10B", "March"],
    ["%_z", " -700"],
    ["%10z", "-000000700"],
    ["%10:z", "-000007:00"],
    ["%5L", "12300"],
    ["%12F", "  2024-03-20"],
    ["%012F", "002024-03-20"],
    ["%_12T", "    02:05:30"],
    ["%^c", "WED MAR 20 02:05:30 2024"],
    ["%10p", "        AM"],
    ["%Q", "%Q"],
    ["%J", "%J"],
    ["%E", "%E"],
    ["%Ey", "24"],
    ["%Od", "20"],
    ["%Ed", "%Ed"],
    ["%:m", "%:m"],
    ["%5%", "    %"],
    ["%n", "\n"],
    ["%t", "\t"],
  ])('%j -> %j', (format, expected) => {
    expect(strftime(la, format, 'America/Los_Angeles')).toBe(expected);
  });

  it.each([
    ["UTC", 1710892800000, "2024-03-20 00:00:00.000 +0000 +00:00 UTC Wed 080 11 12 2024-W12-3"],
    ["UTC", 1710892799999, "2024-03-19 23:59:59.999 +0000 +00:00 UTC Tue 079 11 12 2024-W12-2"],
    ["Asia/Tokyo", 1710860400000, "2024-03-20 00:00:00.000 +0900 +09:00 JST Wed 080 11 12 2024-W12-3"],
    ["Asia/Tokyo", 1710860399000, "2024-03-19 23:59:59.000 +0900 +09:00 JST Tue 079 11 12 2024-W12-2"],
    ["Pacific/Kiritimati", 1710842400000, "2024-03-20 00:00:00.000 +1400 +14:00 +14 Wed 080 11 12 2024-W12-3"],
    ["Pacific/Kiritimati", 1710842399000, "2024-03-19 23:59:59.000 +1400 +14:00 +14 Tue 079 11 12 2024-W12-2"],
    ["Pacific/Pago_Pago", 1710932400000, "2024-03-20 00:00:00.000 -1100 -11:00 SST Wed 080 11 12 2024-W12-3"],
    ["Pacific/Pago_Pago", 1710932399000, "2024-03-19 23:59:59.000 -1100 -11:00 SST Tue 079 11 12 2024-W12-2"],
    ["America/Los_Angeles", 1710061200000, "2024-03-10 01:00:00.000 -0800 -08:00 PST Sun 070 10 10 2024-W10-7"],
    ["America/Los_Angeles", 1710064800000, "2024-03-10 03:00:00.000 -0700 -07:00 PDT Sun 070 10 10 2024-W10-7"],
    ["America/Los_Angeles", 1730620800000, "2024-11-03 01:00:00.000 -0700 -07:00 PDT Sun 308 44 44 2024-W44-7"],
    ["America/Los_Angeles", 1730624400000, "2024-11-03 01:00:00.000 -0800 -08:00 PST Sun 308 44 44 2024-W44-7"],
  ])('%s at %d', (zone, epochMs, expected) => {
    expect(strftime(instantAt(epochMs, zone), '%Y-%m-%d %H:%M:%S.%L %z %:z %Z %a %j %U %W %G-W%V-%u', zone)).toBe(expected);
  });

  it.each([
    ["2020-12-31", "2020 20 53 52 52 366 4 4 Thursday 20 20"],
    ["2021-01-01", "2020 20 53 00 00 001 5 5 Friday 20 21"],
    ["2021-01-03", "2020 20 53 01 00 003 7 0 Sunday 20 21"],
    ["2021-01-04", "2021 21 01 01 01 004 1 1 Monday 20 21"],
    ["2024-12-29", "2024 24 52 52 52 364 7 0 Sunday 20 24"],
    ["2024-12-30", "2025 25 01 52 53 365 1 1 Monday 20 24"],
    ["2025-12-28", "2025 25 52 52 51 362 7 0 Sunday 20 25"],
    ["2025-12-29", "2026 26 01 52 52 363 1 1 Monday 20 25"],
    ["2026-01-01", "2026 26 01 00 00 001 4 4 Thursday 20 26"],
    ["2027-01-01", "2026 26 53 00 00 001 5 5 Friday 20 27"],
    ["2027-01-03", "2026 26 53 01 00 003 7 0 Sunday 20 27"],
    ["2027-01-04", "2027 27 01 01 01 004 1 1 Monday 20 27"],
    ["2032-12-31", "2032 32 53 52 52 366 5 5 Friday 20 32"],
    ["2000-01-01", "1999 99 52 00 00 001 6 6 Saturday 20 00"],
    ["2000-02-29", "2000 00 09 09 09 060 2 2 Tuesday 20 00"],
    ["1999-12-31", "1999 99 52 52 52 365 5 5 Friday 19 99"],
    ["0099-06-15", "0099 99 25 24 24 166 1 1 Monday 00 99"],
    ["-0006-12-28", "-0006 94 52 52 52 362 3 3 Wednesday -1 94"],
  ])('%s: %%G %%g %%V %%U %%W %%j %%u %%w %%A %%C %%y = %s', (date, expected) => {
    const [year, month, day] = date.startsWith('-') ? [-6, 12, 28] : date.split('-').map(Number);
    const i = zonedInstant({ year: year!, month: month!, day: day!, hour: 12 }, 'UTC');
    expect(strftime(i, '%G %g %V %U %W %j %u %w %A %C %y')).toBe(expected);
  });

  it('prints %Z from the zone name: tzdata abbreviations, GMT aliases, numeric fallbacks', () => {
    const winter = ms('2024-01-15T12:00:00Z');
    const summer = ms('2024-07-15T12:00:00Z');
    const cases: ReadonlyArray<readonly [string, number, string]> = [
      ['America/Los_Angeles', winter, 'PST'],
      ['US/Pacific', summer, 'PDT'],
      ['Europe/London', summer, 'BST'],
      ['Europe/Dublin', summer, 'IST'],
      ['Europe/Berlin', winter, 'CET'],
      ['Asia/Kolkata', winter, 'IST'],
      ['Asia/Kathmandu', winter, '+0545'],
      ['Etc/GMT-14', winter, '+14'],
      ['Etc/UTC', winter, 'UTC'],
      ['GMT', winter, 'GMT'],
      ['Etc/Greenwich', winter, 'GMT'],
      ['America/Sao_Paulo', winter, '-03'],
      ['America/Los_Angeles', ms('1850-06-01T12:00:00Z'), 'LMT'],
    ];
    for (const [zone, epochMs, expected] of cases) {
      expect(zoneAbbreviation(instantAt(epochMs, zone), zone), zone).toBe(expected);
    }
  });

  it('prints %Z as empty when no zone is given (a Ruby Time with a fixed offset)', () => {
    expect(strftime(instantAt(0, 'UTC'), '[%Z]')).toBe('[]');
  });

  it('formats years outside 1000-9999 like Ruby', () => {
    const y10001 = instantAt(Date.UTC(10001, 0, 1), 'UTC');
    expect(strftime(y10001, '%Y %C %y %-10Y')).toBe('10001 100 01 10001');
    const bc = zonedInstant({ year: -6, month: 12, day: 28 }, 'UTC');
    expect(strftime(bc, '%Y %C %y %F')).toBe('-0006 -1 94 -0006-12-28');
  });

  it('copies malformed directives through, and throws on a format ending inside one', () => {
    expect(() => strftime(la, 'x%')).toThrow(new RangeError('invalid format: x%'));
    expect(() => strftime(la, '%5')).toThrow(/invalid format: %5/);
    expect(() => strftime(la, 'a%-5')).toThrow(/invalid format/);
    expect(strftime(la, '%:')).toBe('%:');
    expect(strftime(la, '%10E')).toBe('%10E');
    expect(strftime(la, '%5-')).toBe('%5-');
    expect(strftime(la, '%:%s')).toBe('%:1710925530');
    expect(strftime(la, '%::::z')).toBe('%::::z');
    expect(strftime(la, '%5-d')).toBe('%5-d');
    expect(strftime(la, '%-10O%_0z')).toBe('%-10O-0700');
  });
});

describe('strftime with many formats', () => {
  it('formats the same after more formats than it keeps parsed (1,000), and again after forgetting them', () => {
    const la = instantAt(1710925530123, 'America/Los_Angeles');
    const format = (n: number) => `#${n}: %Y-%m-%d %H:%M`;
    const first = strftime(la, format(0));
    for (let n = 1; n <= 2500; n++) expect(strftime(la, format(n))).toBe(`#${n}: 2024-03-20 02:05`);
    expect(strftime(la, format(0))).toBe(first);
    // A format that ends inside a directive fails every time, not only the first.
    expect(() => strftime(la, 'x%')).toThrow(RangeError);
    expect(() => strftime(la, 'x%')).toThrow(RangeError);
  });
});

describe("Jekyll's date filters", () => {
  // [zone, instant, date_to_xmlschema, date_to_rfc822, date_to_string, ordinal, ordinal US,
  //  date_to_long_string, ordinal, ordinal US] - from Jekyll::Filters under ENV['TZ'].
  it.each([
    ['America/Los_Angeles', '2024-03-20T09:05:30Z', '2024-03-20T02:05:30-07:00', 'Wed, 20 Mar 2024 02:05:30 -0700', '20 Mar 2024', '20th Mar 2024', 'Mar 20th, 2024', '20 March 2024', '20th March 2024', 'March 20th, 2024'],
    ['UTC', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00+00:00', 'Fri, 01 Mar 2024 00:00:00 +0000', '01 Mar 2024', '1st Mar 2024', 'Mar 1st, 2024', '01 March 2024', '1st March 2024', 'March 1st, 2024'],
    ['Asia/Tokyo', '2024-06-01T15:00:00Z', '2024-06-02T00:00:00+09:00', 'Sun, 02 Jun 2024 00:00:00 +0900', '02 Jun 2024', '2nd Jun 2024', 'Jun 2nd, 2024', '02 June 2024', '2nd June 2024', 'June 2nd, 2024'],
    ['Pacific/Kiritimati', '2024-03-20T10:30:00Z', '2024-03-21T00:30:00+14:00', 'Thu, 21 Mar 2024 00:30:00 +1400', '21 Mar 2024', '21st Mar 2024', 'Mar 21st, 2024', '21 March 2024', '21st March 2024', 'March 21st, 2024'],
    ['Pacific/Pago_Pago', '2024-03-23T10:30:00Z', '2024-03-22T23:30:00-11:00', 'Fri, 22 Mar 2024 23:30:00 -1100', '22 Mar 2024', '22nd Mar 2024', 'Mar 22nd, 2024', '22 March 2024', '22nd March 2024', 'March 22nd, 2024'],
    ['Asia/Kolkata', '2024-01-03T00:00:00Z', '2024-01-03T05:30:00+05:30', 'Wed, 03 Jan 2024 05:30:00 +0530', '03 Jan 2024', '3rd Jan 2024', 'Jan 3rd, 2024', '03 January 2024', '3rd January 2024', 'January 3rd, 2024'],
    ['UTC', '2024-01-11T00:00:00Z', '2024-01-11T00:00:00+00:00', 'Thu, 11 Jan 2024 00:00:00 +0000', '11 Jan 2024', '11th Jan 2024', 'Jan 11th, 2024', '11 January 2024', '11th January 2024', 'January 11th, 2024'],
    ['UTC', '2024-01-12T00:00:00Z', '2024-01-12T00:00:00+00:00', 'Fri, 12 Jan 2024 00:00:00 +0000', '12 Jan 2024', '12th Jan 2024', 'Jan 12th, 2024', '12 January 2024', '12th January 2024', 'January 12th, 2024'],
    ['UTC', '2024-01-13T00:00:00Z', '2024-01-13T00:00:00+00:00', 'Sat, 13 Jan 2024 00:00:00 +0000', '13 Jan 2024', '13th Jan 2024', 'Jan 13th, 2024', '13 January 2024', '13th January 2024', 'January 13th, 2024'],
    ['UTC', '2024-01-23T00:00:00Z', '2024-01-23T00:00:00+00:00', 'Tue, 23 Jan 2024 00:00:00 +0000', '23 Jan 2024', '23rd Jan 2024', 'Jan 23rd, 2024', '23 January 2024', '23rd January 2024', 'January 23rd, 2024'],
    ['America/Los_Angeles', '1850-06-01T12:00:00Z', '1850-06-01T04:07:02-07:52', 'Sat, 01 Jun 1850 04:07:02 -0752', '01 Jun 1850', '1st Jun 1850', 'Jun 1st, 1850', '01 June 1850', '1st June 1850', 'June 1st, 1850'],
  ])('%s %s', (zone, iso, xml, rfc, short, shortOrdinal, shortUs, long, longOrdinal, longUs) => {
    const i = instantAt(ms(iso), zone);
    expect(dateToXmlschema(i)).toBe(xml);
    expect(dateToRfc822(i)).toBe(rfc);
    expect(dateToString(i)).toBe(short);
    expect(dateToString(i, 'ordinal')).toBe(shortOrdinal);
    expect(dateToString(i, 'ordinal', 'US')).toBe(shortUs);
    expect(dateToLongString(i)).toBe(long);
    expect(dateToLongString(i, 'ordinal')).toBe(longOrdinal);
    expect(dateToLongString(i, 'ordinal', 'US')).toBe(longUs);
  });

  it('ignores a style without "ordinal" and matches arguments exactly, like Jekyll', () => {
    const i = instantAt(ms('2024-03-01T12:00:00Z'), 'UTC');
    expect(dateToString(i, undefined, 'US')).toBe('01 Mar 2024');
    expect(dateToString(i, 'Ordinal')).toBe('01 Mar 2024');
    expect(dateToLongString(i, 'ordinal', 'us')).toBe('1st March 2024');
  });
});

describe('now and the machine zone', () => {
  it.each(ZONES)('nowInstant(%s) is now, at that zone offset', (zone) => {
    const before = Date.now();
    const now = nowInstant(zone);
    expect(now.epochMs).toBeGreaterThanOrEqual(before);
    expect(now.epochMs).toBeLessThanOrEqual(Date.now());
    expect(now.offsetMinutes).toBe(offsetMinutesAt(now.epochMs, zone));
  });

  it('systemTimeZone is the zone Intl resolves (from $TZ when set)', () => {
    const zone = systemTimeZone();
    expect(isValidTimeZone(zone)).toBe(true);
    expect(zone).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
