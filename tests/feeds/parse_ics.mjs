// Parses iCalendar files with Mozilla's ical.js (the parser behind Thunderbird)
// and prints what a client would show, as JSON: one entry per VEVENT.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const results = {};
for (const path of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  results[path] = {
    method: calendar.getFirstPropertyValue("method"),
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    events: calendar.getAllSubcomponents("vevent").map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        location: event.location,
        status: component.getFirstPropertyValue("status"),
        sequence: event.sequence,
        tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
        allDay: event.startDate.isDate,
        start: event.startDate.isDate ? event.startDate.toString() : event.startDate.toJSDate().toISOString(),
        end: event.endDate.isDate ? event.endDate.toString() : event.endDate.toJSDate().toISOString(),
        localStart: event.startDate.toString(),
        categories: component.getFirstProperty("categories")?.getValues() ?? [],
      };
    }),
  };
}
process.stdout.write(JSON.stringify(results));
