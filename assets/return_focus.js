import { useEffect } from "react";

// Inside a dialog the page opens from its state (no Radix Trigger): remembers what had the focus
// when the dialog appeared (the button that asked for it) and gives the focus back to it when the
// dialog goes, as Radix does for dialogs opened by a Trigger. Effects run child first, so this
// sees the opener before Radix moves the focus into the dialog; the focus is given back after
// Radix's own clean-up (a timeout too), which finds no trigger to focus.
export function ReturnFocus() {
  useEffect(() => {
    const opener = document.activeElement;
    return () => {
      window.setTimeout(() => {
        if (opener && opener !== document.body && opener.isConnected && typeof opener.focus === "function") {
          opener.focus();
        }
      }, 0);
    };
  }, []);
  return null;
}
