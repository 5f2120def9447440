// Regenerates libs/domain/src/calendars/*.holidays.json from the date-holidays package.
// The calendars ship as data so a deployment can review, amend or add one without code;
// run this at the start of each year:  node scripts/generate-holidays.js 2027 2028
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const Holidays = require('date-holidays');
const { version } = require('date-holidays/package.json');

const years = process.argv.slice(2).map(Number);
if (years.length === 0 || years.some((y) => !Number.isInteger(y))) {
  console.error('usage: node scripts/generate-holidays.js <year> [<year> ...]');
  process.exit(1);
}
for (const country of ['KR', 'TN']) {
  const hd = new Holidays(country);
  const days = new Map();
  for (const year of years) {
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      // A holiday spanning several days (Seollal, Chuseok, Eid) lists every day it covers.
      // `date` is the local calendar date; the day count comes from the start/end instants.
      const count = Math.round((new Date(h.end).getTime() - new Date(h.start).getTime()) / 86_400_000);
      const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`);
      for (let i = 0; i < count; i++) {
        const day = new Date(first + i * 86_400_000).toISOString().slice(0, 10);
        if (!days.has(day)) days.set(day, h.name);
      }
    }
  }
  const holidays = [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));
  const file = join(__dirname, '..', 'libs/domain/src/calendars', `${country.toLowerCase()}.holidays.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { source: `date-holidays@${version}, public holidays of ${country}`, years, holidays },
      null,
      2,
    ) + '\n',
  );
  console.log(`${file}: ${holidays.length} days`);
}
