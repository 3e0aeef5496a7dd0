/** Dates between <input type="datetime-local"> (the writer's wall clock) and ISO instants. */

const pad = (n) => String(n).padStart(2, "0");

/** "2026-03-05T18:30" (local) → "2026-03-05T18:30:00-05:00", with the browser's offset. */
export function localInputToIso(value) {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** An ISO instant → the value of a datetime-local input, in the browser's time zone. */
export function isoToLocalInput(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** Now, as a datetime-local value (a `max` for dates that may not be in the future). */
export function nowLocalInput() {
  return isoToLocalInput(new Date().toISOString());
}
