// For a blog post that frames kb's /embed: sizes each frame to the list it shows.
// Include it once per page, from the kb site that serves the embeds:
//   <script src="https://kb.example.com/static/embed-host.js" async></script>
// Frames keep the height written in the post until their list says otherwise,
// and keep it for good where scripts are not allowed.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.postMessage) return;
  var origin = new URL(script.src, window.location.href).origin;
  var MAX = 4000; // px: a list of up to 50 sessions fits well within this

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    // only kb's own embeds, and only a sane number of pixels
    if (event.origin !== origin || !data || data.type !== "kb-embed:height") return;
    var height = Math.ceil(Number(data.height));
    if (!(height > 0 && height <= MAX)) return;
    var frame = frameOf(event.source);
    if (frame) frame.style.height = height + "px";
  });

  // embeds that loaded before this script did have already told their height: ask again
  function ask() {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var src = frames[i].src;
      if (src && src.indexOf(origin + "/") === 0 && frames[i].contentWindow) {
        frames[i].contentWindow.postMessage({ type: "kb-embed:ask" }, origin);
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ask);
  } else {
    ask();
  }
})();
