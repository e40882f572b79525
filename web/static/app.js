// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // On a phone, fold the facets away so that results come first; chips show the filters.
  // A reader who ticks a value there is still choosing: the next page keeps the panel
  // open where it was, until they follow "N件の結果を見る" or fold it themselves.
  var refine = document.querySelector("details.refine");
  if (refine && window.matchMedia("(max-width: 859px)").matches) {
    var KEPT = "kb:refine-open";
    var kept = null;
    try {
      kept = JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
      window.sessionStorage.removeItem(KEPT);
    } catch (error) { kept = null; }
    if (kept && kept.url === window.location.href) {
      // the value ticked stays where it was on the screen, though counts and chips
      // above it changed; the old scroll position is the fallback
      var same = kept.selector && document.querySelector(kept.selector);
      var top = same ? window.scrollY + same.getBoundingClientRect().top - kept.top : kept.y;
      window.scrollTo({ top: top, behavior: "instant" });
    } else {
      refine.open = false;
    }
    refine.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.facet-value");
      if (!link) return;
      var heading = link.closest("ul");
      while (heading && !(heading.id && heading.id.indexOf("facet-") === 0)) {
        heading = heading.previousElementSibling;
      }
      var selector = heading && link.dataset.facetValue !== undefined
        ? "#" + heading.id + ' ~ ul a[data-facet-value="' +
          link.dataset.facetValue.replace(/["\\]/g, "\\$&") + '"]'
        : null;
      try {
        window.sessionStorage.setItem(KEPT, JSON.stringify({
          url: link.href, y: window.scrollY, selector: selector,
          top: link.getBoundingClientRect().top }));
      } catch (error) { /* private mode: the panel folds, as without this */ }
    });
  }

  // Long facet lists: a box above them filters the values by name as you type.
  function fold(text) {
    return (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll(".facet-filter"), function (box) {
    var section = box.parentNode;
    var field = box.querySelector("input");
    var none = box.querySelector(".facet-filter-none");
    var more = section.querySelector("details.facet-more");
    var values = section.querySelectorAll(".facet-values > li");
    var moreWasOpen = null;
    box.hidden = false;
    function shownLinks() {
      return Array.prototype.filter.call(values, function (li) { return !li.hidden; });
    }
    field.addEventListener("input", function () {
      var words = fold(field.value.trim());
      Array.prototype.forEach.call(values, function (li) {
        var link = li.querySelector("a");
        var name = fold(li.getAttribute("data-label") + " " + link.getAttribute("data-facet-value"));
        li.hidden = words !== "" && name.indexOf(words) < 0;
      });
      if (more) {  // matches among the rest are shown too, and the rest folds back after
        if (words && moreWasOpen === null) {
          moreWasOpen = more.open;
          more.open = true;
        } else if (!words && moreWasOpen !== null) {
          more.open = moreWasOpen;
          moreWasOpen = null;
        }
      }
      none.hidden = shownLinks().length > 0;
    });
    field.addEventListener("keydown", function (event) {
      var shown = shownLinks();
      if (event.key === "Enter" && field.value.trim() && shown.length) {
        event.preventDefault();
        shown[0].querySelector("a").click();
      }
    });
  });

  // Suggestions as you type: a listbox under the search box.
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) return;
  var url = input.getAttribute("data-suggest-url");
  var kinds = { topic: "トピック", event: "イベント", title: "セッション", term: "語" };
  var items = [];
  var active = -1;
  var timer = null;
  var latest = 0;
  var answered = 0;  // the last ticket whose answer came: below latest while one is coming

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(item) {
    if (item.url) {
      window.location.href = item.url;
    } else {
      input.value = item.label;
      close();
      input.form.submit();
    }
  }

  function highlight(index) {
    var options = list.children;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(suggestions) {
    close();
    items = suggestions;
    if (!items.length) return;
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "q-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent = kinds[item.kind] || item.kind;
      var label = document.createElement("span");
      label.textContent = item.label;
      li.appendChild(kind);
      li.appendChild(label);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(item);
      });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    timer = null;
    var text = input.value.trim();
    if (!text) { close(); return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (ticket !== latest) return;
        answered = ticket;
        show(data.suggestions || []);
      })
      .catch(function () {
        if (ticket === latest) answered = ticket;
        close();
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (!list.hidden || timer !== null || answered !== latest)) {
      // close the suggestions (and drop any still coming), but keep the query:
      // a search box's own Escape would clear it
      event.preventDefault();
      clearTimeout(timer);
      timer = null;
      answered = ++latest;
      close();
      return;
    }
    if (list.hidden || !items.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
