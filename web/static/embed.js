// Inside /embed: tell the page that frames it how tall the list is, so that a blog
// that includes embed-host.js can size the frame to fit. Nothing here is needed
// for the list itself; without a listener the messages are simply not heard.
(function () {
  "use strict";
  if (window.parent === window) return;
  var MESSAGE = "kb-embed:height";

  function height() {
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  function tell(target, origin) {
    // the height is no secret, so any page that frames the list may hear it
    target.postMessage({ type: MESSAGE, height: height() }, origin || "*");
  }

  var last = -1;
  function changed() {
    var now = height();
    if (now !== last) {
      last = now;
      tell(window.parent);
    }
  }

  // a host script that loaded after this one asks again
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "kb-embed:ask") {
      tell(window.parent, event.origin);
    }
  });
  if (window.ResizeObserver) {
    new ResizeObserver(changed).observe(document.documentElement);
  } else {
    window.addEventListener("resize", changed);
  }
  window.addEventListener("load", changed);
  changed();
})();
