import { createElement, useEffect, useState } from "react";

// A moment in the visitor's own time zone, with the UTC the server wrote on hover. The server's
// UTC text shows until the browser has rendered (and for crawlers and printouts without scripts).
export function LocalTime({ iso, utc, id }) {
  const [local, setLocal] = useState(null);
  useEffect(() => {
    const moment = iso ? new Date(iso) : null;
    if (!moment || Number.isNaN(moment.getTime())) return setLocal(null);
    setLocal(moment.toLocaleString(undefined, { day: "numeric", month: "long", year: "numeric", hour: "2-digit",
      minute: "2-digit", timeZoneName: "short" }));
  }, [iso]);
  return createElement("time", { dateTime: iso || undefined, title: utc, id: id || undefined }, local || utc);
}
