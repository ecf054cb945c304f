// Briefing's reader scripts: instant search, link previews, "/" to search.
// Progressive enhancement only: every page is complete without this script.
// Data comes from script files that set globals (search-index.js, previews.js),
// never from fetch(), so that a site opened from file:// works the same.
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement.getAttribute("data-root") || "";

  // ---- Text folding ------------------------------------------------------
  // Lower case, accents removed, anything but letters and digits a space;
  // one folded character per UTF-16 unit, so that a position in the folded
  // text is the same position in the original.
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

  function fold(text) {
    var out = new Array(text.length);
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code < 128) {
        if (code >= 65 && code <= 90) out[i] = String.fromCharCode(code + 32);
        else if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) out[i] = text.charAt(i);
        else out[i] = " ";
      } else {
        var base = text.charAt(i).normalize("NFD").charAt(0).toLowerCase().charAt(0);
        out[i] = LETTER_OR_DIGIT.test(base) ? base : " ";
      }
    }
    return out.join("");
  }

  function wordsOf(text) {
    return fold(text).split(" ").filter(Boolean);
  }

  // Edit distance with adjacent transpositions, giving up beyond `limit`.
  function closeEnough(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return false;
    var previous2 = null;
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        row.push(value);
        if (value < best) best = value;
      }
      if (best > limit) return false;
      previous2 = previous;
      previous = row;
    }
    return previous[b.length] <= limit;
  }

  // A query word matches a word of a name when it starts it ("zel" in
  // "zelensky"), or, for longer words, when it is a spelling away from it
  // or from its start ("zelenskiy" and "zelensky").
  function wordMatches(query, word, fuzzy) {
    if (word.indexOf(query) === 0) return true;
    if (!fuzzy || query.length < 4) return false;
    var limit = query.length >= 8 ? 2 : 1;
    return closeEnough(query, word, limit) || closeEnough(query, word.slice(0, query.length), limit);
  }

  function allWordsMatch(queryWords, words, fuzzy) {
    return queryWords.every(function (q) {
      return words.some(function (w) { return wordMatches(q, w, fuzzy); });
    });
  }

  // ---- The index -----------------------------------------------------------
  // search-index.js (generator/search.py) sets window.BRIEFING_SEARCH:
  //   kinds:    {kind: label}
  //   entities: [name, kind, url, [other names], mentions], most mentioned first
  //   sources:  [title, url, date, publisher], newest first
  //   passages: [source position, paragraph id, text], in reading order
  var index = null;
  var indexWaiters = [];
  var indexRequested = false;

  function prepare(data) {
    return {
      kinds: data.kinds,
      entities: data.entities.map(function (row) {
        var names = [row[0]].concat(row[3]);
        return {
          name: row[0], kind: row[1], url: row[2], mentions: row[4],
          terms: names.map(function (n) { var w = wordsOf(n); return { phrase: w.join(" "), words: w }; })
        };
      }),
      sources: data.sources.map(function (row) {
        var w = wordsOf(row[0]);
        return { title: row[0], url: row[1], date: row[2], publisher: row[3], words: w };
      }),
      passages: data.passages.map(function (row) {
        return { source: row[0], paragraph: row[1], text: row[2], page: row[3], folded: null };
      })
    };
  }

  function withIndex(callback) {
    if (!index && window.BRIEFING_SEARCH) index = prepare(window.BRIEFING_SEARCH);
    if (index) { callback(index); return; }
    indexWaiters.push(callback);
    if (indexRequested) return;
    indexRequested = true;
    var script = doc.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () {
      index = prepare(window.BRIEFING_SEARCH);
      var waiting = indexWaiters;
      indexWaiters = [];
      waiting.forEach(function (fn) { fn(index); });
    };
    script.onerror = function () {
      doc.querySelectorAll("[data-search-status]").forEach(function (el) {
        el.textContent = "The search index (search-index.js) is missing: rebuild the site.";
      });
    };
    doc.head.appendChild(script);
  }

  // ---- Searching -----------------------------------------------------------
  function parseQuery(text) {
    var words = wordsOf(text);
    return { text: text.trim(), words: words, phrase: words.join(" ") };
  }

  function entityScore(entity, query) {
    var best = 0;
    entity.terms.forEach(function (term, position) {
      var score = 0;
      if (term.phrase === query.phrase) score = 100;
      else if (term.phrase.indexOf(query.phrase) === 0) score = 80;
      else if (allWordsMatch(query.words, term.words, false)) score = 60;
      else if (allWordsMatch(query.words, term.words, true)) score = 30;
      if (score && position === 0) score += 5;
      if (score > best) best = score;
    });
    return best;
  }

  function findEntities(data, query) {
    var found = [];
    data.entities.forEach(function (entity, order) {
      var score = entityScore(entity, query);
      if (score) found.push({ entity: entity, score: score, order: order });
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found;
  }

  // The names of the entities the query names best (exactly, or a typo away):
  // a passage that spells one of them otherwise is still about what was asked.
  function spellingsOf(found) {
    if (!found.length) return [];
    var best = found[0].score;
    var phrases = {};
    found.forEach(function (f) {
      if (f.score === best) f.entity.terms.forEach(function (term) { if (term.phrase) phrases[term.phrase] = true; });
    });
    return Object.keys(phrases);
  }

  // Every word of the passages, once: what a misspelt query word is matched against.
  function vocabularyOf(data) {
    if (data.vocabulary) return data.vocabulary;
    var seen = {};
    data.passages.forEach(function (passage) {
      if (passage.folded === null) passage.folded = " " + fold(passage.text);
      passage.folded.split(" ").forEach(function (word) { if (word) seen[word] = true; });
    });
    data.vocabulary = Object.keys(seen);
    return data.vocabulary;
  }

  // What each query word may be in a passage: itself (as the start of a word);
  // or, when no word of the briefing starts so, the words one typo away from it.
  function formsOf(data, query) {
    return query.words.map(function (word) {
      var vocabulary = vocabularyOf(data);
      if (word.length < 4 || vocabulary.some(function (w) { return w.indexOf(word) === 0; })) return [word];
      var near = vocabulary.filter(function (w) { return closeEnough(word, w, 1); });
      return near.length ? near : [word];
    });
  }

  function findSources(data, query) {
    return data.sources.filter(function (source) { return allWordsMatch(query.words, source.words, false); });
  }

  // Where a whole phrase starts in a folded passage (" " + words), or -1.
  function phraseAt(folded, phrase) {
    var at = folded.indexOf(" " + phrase);
    while (at >= 0) {
      var after = at + 1 + phrase.length;
      if (after >= folded.length || folded.charAt(after) === " ") return at;
      at = folded.indexOf(" " + phrase, at + 1);
    }
    return -1;
  }

  // Paragraphs holding every query word (or a form of it) at the start of a
  // word, or one of the spellings of the entity asked for; those with the
  // query's words side by side first, then those with all of them, then in
  // reading order, newest source first.
  function findPassages(data, query, forms, spellings) {
    var found = [];
    data.passages.forEach(function (passage, order) {
      if (passage.folded === null) passage.folded = " " + fold(passage.text);
      var folded = passage.folded;
      var first = -1;
      var all = forms.every(function (options) {
        var at = -1;
        options.forEach(function (form) {
          var i = folded.indexOf(" " + form);
          if (i >= 0 && (at < 0 || i < at)) at = i;
        });
        if (at >= 0 && (first < 0 || at < first)) first = at;
        return at >= 0;
      });
      var together = folded.indexOf(" " + query.phrase);
      if (!all) {
        first = -1;
        spellings.forEach(function (phrase) {
          var i = phraseAt(folded, phrase);
          if (i >= 0 && (first < 0 || i < first)) first = i;
        });
        if (first < 0) return;
      }
      var rank = together >= 0 ? 2 : all ? 1 : 0;
      found.push({ passage: passage, at: together >= 0 ? together : first, rank: rank, order: order });
    });
    found.sort(function (a, b) { return (b.rank - a.rank) || a.order - b.order; });
    return found;
  }

  function search(data, text) {
    var query = parseQuery(text);
    if (!query.words.length) return null;
    var entities = findEntities(data, query);
    var forms = formsOf(data, query);
    var spellings = spellingsOf(entities);
    // The words a snippet marks: every form of the query's words, and of each spelling its last word.
    var marked = {};
    forms.forEach(function (options) { options.forEach(function (w) { marked[w] = true; }); });
    // Of a spelling, its last word: "zelenskiy" of "volodymyr zelenskiy", not every "volodymyr" or "the".
    spellings.forEach(function (phrase) { marked[phrase.slice(phrase.lastIndexOf(" ") + 1)] = true; });
    query.marked = Object.keys(marked);
    return {
      query: query,
      entities: entities.map(function (f) { return f.entity; }),
      sources: findSources(data, query),
      passages: findPassages(data, query, forms, spellings)
    };
  }

  // The passage around its first match, about `width` characters, cut at
  // spaces, with every word the query starts marked.
  function snippet(hit, query, width) {
    var text = hit.passage.text;
    var folded = hit.passage.folded.slice(1);
    var start = Math.max(0, hit.at - Math.round(width / 3));
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + width);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    var fragment = doc.createDocumentFragment();
    if (start > 0) fragment.appendChild(doc.createTextNode("… "));
    var pos = start;
    while (pos < end) {
      var next = -1;
      var length = 0;
      query.marked.forEach(function (w) {
        var i = folded.indexOf(w, pos);
        while (i >= 0 && i > 0 && folded.charAt(i - 1) !== " ") i = folded.indexOf(w, i + 1);
        if (i >= 0 && i < end && (next < 0 || i < next)) { next = i; length = w.length; }
      });
      if (next < 0) break;
      var stop = next + length;
      while (stop < end && folded.charAt(stop) !== " ") stop++;
      if (next > pos) fragment.appendChild(doc.createTextNode(text.slice(pos, next)));
      var mark = doc.createElement("mark");
      mark.textContent = text.slice(next, stop);
      fragment.appendChild(mark);
      pos = stop;
    }
    if (pos < end) fragment.appendChild(doc.createTextNode(text.slice(pos, end)));
    if (end < text.length) fragment.appendChild(doc.createTextNode(" …"));
    return fragment;
  }

  function element(tag, className, text) {
    var el = doc.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // Children separated by spaces, so that they read as words, not "PersonVolodymyr".
  function parts(parent, children) {
    children.forEach(function (child, i) {
      if (i) parent.appendChild(doc.createTextNode(" "));
      parent.appendChild(child);
    });
    return parent;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function passageHref(data, passage) {
    return (passage.page || data.sources[passage.source].url) + "#" + passage.paragraph;
  }

  function searchPageHref(text) {
    return "search.html?q=" + encodeURIComponent(text);
  }

  // ---- The search box in the header: an ARIA 1.2 combobox ----------------
  var DROPDOWN = { entities: 6, sources: 2, passages: 4 };

  function Combobox(input) {
    this.input = input;
    this.form = input.form;
    this.listbox = doc.getElementById(input.getAttribute("aria-controls"));
    this.status = this.form.querySelector("[data-search-status]");
    this.options = [];
    this.active = -1;
    this.openOnLoad = false;
    var self = this;
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("input", function () { self.update(); });
    input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.form.addEventListener("focusout", function (event) {
      if (!self.form.contains(event.relatedTarget)) self.close();
    });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.go(option);
    });
    this.listbox.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.activate(self.options.indexOf(option));
    });
  }

  Combobox.prototype.update = function () {
    var self = this;
    var text = this.input.value;
    withIndex(function (data) {
      if (self.input.value !== text) return;
      self.render(data, search(data, text));
      if (self.openOnLoad) {
        self.openOnLoad = false;
        self.enter();
      }
    });
  };

  Combobox.prototype.render = function (data, found) {
    var list = this.listbox;
    list.textContent = "";
    this.options = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (!found) { this.close(); this.status.textContent = ""; return; }
    var self = this;
    var total = found.entities.length + found.sources.length + found.passages.length;
    found.entities.slice(0, DROPDOWN.entities).forEach(function (entity) {
      parts(self.option(entity.url, "kind-" + entity.kind), [
        element("span", "opt-kind", data.kinds[entity.kind]),
        element("span", "opt-title", entity.name),
        element("span", "opt-meta", plural(entity.mentions, "mention", "mentions"))
      ]);
    });
    found.sources.slice(0, DROPDOWN.sources).forEach(function (source) {
      parts(self.option(source.url, "is-source"), [element("span", "opt-kind", "Source"), element("span", "opt-title", source.title)]);
    });
    found.passages.slice(0, DROPDOWN.passages).forEach(function (hit) {
      var text = element("span", "opt-snippet");
      text.appendChild(snippet(hit, found.query, 110));
      parts(self.option(passageHref(data, hit.passage), "is-passage"), [element("span", "opt-source", data.sources[hit.passage.source].title + ":"), text]);
    });
    var all = this.option(searchPageHref(found.query.text), "is-all");
    all.textContent = total ? "All " + plural(total, "result", "results") + " for “" + found.query.text + "”" : "No results for “" + found.query.text + "”";
    this.status.textContent = total ? plural(total, "result", "results") + "; the first is " + this.options[0].textContent + "." : "No results.";
    list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.option = function (href, className) {
    var option = element("li", "option " + className);
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.id = this.listbox.id + "-" + this.options.length;
    option.setAttribute("data-href", href);
    this.listbox.appendChild(option);
    this.options.push(option);
    return option;
  };

  Combobox.prototype.activate = function (position) {
    if (this.active >= 0) this.options[this.active].setAttribute("aria-selected", "false");
    this.active = position;
    if (position < 0) { this.input.removeAttribute("aria-activedescendant"); return; }
    var option = this.options[position];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.activate(-1);
  };

  Combobox.prototype.go = function (option) {
    window.location.href = root + option.getAttribute("data-href");
  };

  // Enter opens the option picked with the arrows, or else the top result;
  // with nothing found, the form goes to the search page.
  Combobox.prototype.enter = function () {
    if (!this.options.length) return false;
    this.go(this.options[Math.max(this.active, 0)]);
    return true;
  };

  Combobox.prototype.onKey = function (event) {
    var open = !this.listbox.hidden && this.options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) { this.update(); event.preventDefault(); return; }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = this.active + step;
      if (next >= this.options.length) next = 0;
      if (next < -1) next = this.options.length - 1;
      this.activate(next);
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (!this.input.value.trim()) { event.preventDefault(); return; }
      if (!index) { this.openOnLoad = true; this.update(); event.preventDefault(); return; }
      if (open && this.enter()) event.preventDefault();
    } else if (event.key === "Escape") {
      if (open) { this.close(); event.preventDefault(); }
    }
  };

  // ---- The search page (search.html?q=...) --------------------------------
  function SearchPage(input, results) {
    this.input = input;
    this.results = results;
    this.status = doc.querySelector("[data-search-status]");
    var self = this;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    input.addEventListener("input", function () { self.update(); });
    this.update();
  }

  SearchPage.prototype.update = function () {
    var self = this;
    var text = this.input.value;
    withIndex(function (data) {
      if (self.input.value === text) self.render(data, search(data, text));
    });
  };

  SearchPage.prototype.render = function (data, found) {
    var results = this.results;
    results.textContent = "";
    if (!found) { this.status.textContent = "Type a name, a spelling or a few words."; return; }
    var total = found.entities.length + found.sources.length + found.passages.length;
    this.status.textContent = total ? plural(total, "result", "results") + " for “" + found.query.text + "”." : "Nothing found for “" + found.query.text + "”.";
    if (found.entities.length) {
      var pages = this.group("Pages", found.entities.length, "search-pages").appendChild(element("ol", "results"));
      found.entities.forEach(function (entity) {
        var link = element("a", "result-title", entity.name);
        link.href = root + entity.url;
        pages.appendChild(parts(element("li", "result kind-" + entity.kind), [
          element("span", "opt-kind", data.kinds[entity.kind]), link, element("span", "opt-meta", plural(entity.mentions, "mention", "mentions"))
        ]));
      });
    }
    if (found.sources.length) {
      var sources = this.group("Sources", found.sources.length, "search-sources").appendChild(element("ol", "results"));
      found.sources.forEach(function (source) {
        var link = element("a", "result-title", source.title);
        link.href = root + source.url;
        sources.appendChild(parts(element("li", "result is-source"), [
          link, element("span", "opt-meta", [source.publisher, source.date].filter(Boolean).join(" · "))
        ]));
      });
    }
    if (found.passages.length) {
      this.passages(data, found, this.group("Passages", found.passages.length, "search-passages"));
    }
  };

  // Passages under their source, the sources in the order of their best passage.
  var PAGE_PASSAGES = 100;
  SearchPage.prototype.passages = function (data, found, section) {
    var lists = {};
    found.passages.slice(0, PAGE_PASSAGES).forEach(function (hit) {
      var position = hit.passage.source;
      if (!lists[position]) {
        var source = data.sources[position];
        var heading = section.appendChild(element("h3", "result-source"));
        var title = heading.appendChild(element("a", "", source.title));
        title.href = root + source.url;
        lists[position] = section.appendChild(element("ol", "results"));
      }
      var link = element("a", "passage");
      link.href = root + passageHref(data, hit.passage);
      link.appendChild(snippet(hit, found.query, 240));
      lists[position].appendChild(element("li", "result is-passage")).appendChild(link);
    });
    if (found.passages.length > PAGE_PASSAGES) {
      section.appendChild(element("p", "facts", "The first " + PAGE_PASSAGES + " passages are shown; add a word to narrow the search."));
    }
  };

  SearchPage.prototype.group = function (title, count, id) {
    var section = element("section", "result-group");
    section.setAttribute("aria-labelledby", id);
    var heading = element("h2", "", title + " ");
    heading.id = id;
    heading.appendChild(element("span", "count", String(count)));
    section.appendChild(heading);
    this.results.appendChild(section);
    return section;
  };

  // ---- Link previews -------------------------------------------------------
  // previews.js (generator/search.py) sets window.BRIEFING_PREVIEWS:
  //   kinds: {kind: label}; entities: {url: [kind, name, role and country, summary, mentions, sources]}
  function Previews(data) {
    this.data = data;
    this.card = element("div", "preview-card");
    this.card.id = "preview-card";
    this.card.setAttribute("role", "tooltip");
    this.card.hidden = true;
    doc.body.appendChild(this.card);
    this.link = null;
    this.timer = 0;
    var self = this;
    doc.addEventListener("mouseover", function (event) {
      var link = self.linkAt(event.target);
      if (link) self.schedule(function () { self.show(link); }, 250);
      else if (self.card.contains(event.target)) self.schedule(null);
      else self.schedule(function () { self.hide(); }, 150);
    });
    doc.addEventListener("focusin", function (event) {
      var link = self.linkAt(event.target);
      if (link) { self.schedule(null); self.show(link); } else self.hide();
    });
    doc.addEventListener("focusout", function (event) {
      if (event.target === self.link) self.hide();
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !self.card.hidden) self.hide();
    });
    window.addEventListener("resize", function () { self.hide(); });
  }

  Previews.prototype.linkAt = function (target) {
    var link = target && target.closest ? target.closest("a[href]") : null;
    if (!link || link.closest(".masthead, .preview-card")) return null;
    var href = link.getAttribute("href");
    if (href.indexOf(root) !== 0) return null;
    var key = href.slice(root.length);
    return Object.prototype.hasOwnProperty.call(this.data.entities, key) ? link : null;
  };

  Previews.prototype.schedule = function (action, delay) {
    clearTimeout(this.timer);
    if (action) this.timer = setTimeout(action, delay);
  };

  Previews.prototype.show = function (link) {
    if (link === this.link && !this.card.hidden) return;
    this.hide();
    var row = this.data.entities[link.getAttribute("href").slice(root.length)];
    var card = this.card;
    card.textContent = "";
    card.className = "preview-card kind-" + row[0];
    var kind = element("p", "preview-kind", this.data.kinds[row[0]]);
    if (row[2]) kind.appendChild(doc.createTextNode(" · " + row[2]));
    card.appendChild(kind);
    card.appendChild(element("p", "preview-name", row[1]));
    if (row[3]) card.appendChild(element("p", "preview-summary", row[3]));
    card.appendChild(element("p", "preview-meta", plural(row[4], "mention", "mentions") + " in " + plural(row[5], "source", "sources")));
    card.hidden = false;
    this.link = link;
    link.setAttribute("aria-describedby", card.id);
    this.place(link);
  };

  // Below the link, or above it when the window has no room below; never off screen.
  Previews.prototype.place = function (link) {
    var box = link.getBoundingClientRect();
    var card = this.card;
    var width = card.offsetWidth;
    var height = card.offsetHeight;
    var left = Math.min(Math.max(8, box.left), window.innerWidth - width - 8);
    var top = box.bottom + 8;
    if (top + height > window.innerHeight && box.top - height - 8 > 0) top = box.top - height - 8;
    card.style.left = Math.max(8, left + window.scrollX) + "px";
    card.style.top = (top + window.scrollY) + "px";
  };

  Previews.prototype.hide = function () {
    clearTimeout(this.timer);
    if (this.link) this.link.removeAttribute("aria-describedby");
    this.link = null;
    this.card.hidden = true;
  };

  // ---- Zoom and pan for the whole graph -------------------------------------
  // The graph opens fitted to its frame; buttons, keys (+, −, 0, arrows on the
  // focused frame), a drag and a pinch change its viewBox. Without this script
  // the fitted picture and the list under it remain.
  var MAX_ZOOM = 6;

  function Zoomable(frame) {
    var svg = frame.querySelector("svg");
    this.frame = frame;
    this.svg = svg;
    this.full = svg.getAttribute("viewBox").split(/\s+/).map(Number);
    this.view = this.full.slice();
    this.pointers = {};
    this.moved = false;
    frame.classList.add("zoomable");
    frame.tabIndex = 0;
    frame.setAttribute("role", "group");
    frame.setAttribute("aria-roledescription", "zoomable graph");
    frame.setAttribute("aria-label", "Graph: + and − zoom, arrow keys move, 0 shows it whole; drag to move, pinch to zoom");
    var tools = element("div", "zoom-tools");
    var self = this;
    [["+", "Zoom in", "zoom-in", function () { self.zoomBy(1.5); }],
     ["−", "Zoom out", "zoom-out", function () { self.zoomBy(1 / 1.5); }],
     ["Whole", "Show the whole graph", "zoom-reset", function () { self.reset(); }]].forEach(function (spec) {
      var button = element("button", spec[2], spec[0]);
      button.type = "button";
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", spec[3]);
      tools.appendChild(button);
    });
    var bar = frame.parentNode.querySelector("[data-zoom-bar]");
    if (bar) bar.insertBefore(tools, bar.firstChild);
    else frame.parentNode.insertBefore(tools, frame.nextSibling);
    frame.addEventListener("keydown", function (event) { self.onKey(event); });
    frame.addEventListener("pointerdown", function (event) { self.onDown(event); });
    frame.addEventListener("pointermove", function (event) { self.onMove(event); });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
      frame.addEventListener(type, function (event) { delete self.pointers[event.pointerId]; });
    });
    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;  // a trackpad's pinch; a plain wheel scrolls the page
      event.preventDefault();
      self.zoomBy(event.deltaY < 0 ? 1.2 : 1 / 1.2, self.point(event));
    }, { passive: false });
    // A drag that ends on a node does not open it.
    frame.addEventListener("click", function (event) {
      if (self.moved) { event.preventDefault(); self.moved = false; }
    }, true);
  }

  Zoomable.prototype.scale = function () { return this.full[2] / this.view[2]; };

  // A point of the screen in the graph's own units.
  Zoomable.prototype.point = function (event) {
    var box = this.svg.getBoundingClientRect();
    return [this.view[0] + (event.clientX - box.left) / box.width * this.view[2],
            this.view[1] + (event.clientY - box.top) / box.height * this.view[3]];
  };

  Zoomable.prototype.show = function (x, y, width, height) {
    var full = this.full;
    width = Math.min(full[2], Math.max(full[2] / MAX_ZOOM, width));
    height = width * full[3] / full[2];
    x = Math.min(Math.max(full[0], x), full[0] + full[2] - width);
    y = Math.min(Math.max(full[1], y), full[1] + full[3] - height);
    this.view = [x, y, width, height];
    this.svg.setAttribute("viewBox", this.view.map(function (v) { return Math.round(v * 10) / 10; }).join(" "));
    this.frame.classList.toggle("zoomed", this.scale() > 1.001);
  };

  // Zoom by `factor` about `at` (graph units; the middle of the view by default).
  Zoomable.prototype.zoomBy = function (factor, at) {
    var v = this.view;
    at = at || [v[0] + v[2] / 2, v[1] + v[3] / 2];
    var width = v[2] / factor;
    var height = v[3] / factor;
    this.show(at[0] - (at[0] - v[0]) / factor, at[1] - (at[1] - v[1]) / factor, width, height);
  };

  Zoomable.prototype.panBy = function (dx, dy) {
    this.show(this.view[0] + dx, this.view[1] + dy, this.view[2], this.view[3]);
  };

  Zoomable.prototype.reset = function () { this.show(this.full[0], this.full[1], this.full[2], this.full[3]); };

  Zoomable.prototype.onKey = function (event) {
    if (event.target !== this.frame || event.ctrlKey || event.metaKey || event.altKey) return;
    var step = this.view[2] / 8;
    var keys = {
      "+": function (z) { z.zoomBy(1.5); }, "=": function (z) { z.zoomBy(1.5); },
      "-": function (z) { z.zoomBy(1 / 1.5); }, "0": function (z) { z.reset(); },
      ArrowLeft: function (z) { z.panBy(-step, 0); }, ArrowRight: function (z) { z.panBy(step, 0); },
      ArrowUp: function (z) { z.panBy(0, -step); }, ArrowDown: function (z) { z.panBy(0, step); }
    };
    var action = keys[event.key];
    // Arrows scroll the page as usual while the graph is shown whole.
    if (!action || (/^Arrow/.test(event.key) && this.scale() <= 1.001)) return;
    event.preventDefault();
    action(this);
  };

  Zoomable.prototype.onDown = function (event) {
    if (event.target.closest(".zoom-tools")) return;
    this.pointers[event.pointerId] = [event.clientX, event.clientY];
    this.moved = false;
  };

  Zoomable.prototype.onMove = function (event) {
    var last = this.pointers[event.pointerId];
    if (!last) return;
    var ids = Object.keys(this.pointers);
    var box = this.svg.getBoundingClientRect();
    var perPixel = this.view[2] / box.width;
    if (ids.length === 1) {
      if (this.scale() <= 1.001) return;  // nothing to move: leave the gesture to the page
      var dx = event.clientX - last[0];
      var dy = event.clientY - last[1];
      if (Math.abs(dx) + Math.abs(dy) > 0) this.moved = true;
      this.panBy(-dx * perPixel, -dy * perPixel);
    } else if (ids.length === 2) {
      var other = this.pointers[ids[0] === String(event.pointerId) ? ids[1] : ids[0]];
      var before = Math.hypot(last[0] - other[0], last[1] - other[1]);
      var after = Math.hypot(event.clientX - other[0], event.clientY - other[1]);
      if (before > 0 && after > 0) {
        var middle = this.point({ clientX: (event.clientX + other[0]) / 2, clientY: (event.clientY + other[1]) / 2 });
        this.zoomBy(after / before, middle);
        this.moved = true;
      }
    }
    this.pointers[event.pointerId] = [event.clientX, event.clientY];
    if (this.moved) event.preventDefault();
  };

  // ---- Start ---------------------------------------------------------------
  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  doc.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var input = doc.querySelector("[data-search-input]");
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  doc.querySelectorAll("input[role=combobox][data-search-input]").forEach(function (input) { new Combobox(input); });
  var pageInput = doc.querySelector("[data-search-page]");
  var pageResults = doc.querySelector("[data-search-results]");
  if (pageInput && pageResults) new SearchPage(pageInput, pageResults);
  if (window.BRIEFING_PREVIEWS) new Previews(window.BRIEFING_PREVIEWS);
  doc.querySelectorAll(".graph-frame[data-zoomable]").forEach(function (frame) { new Zoomable(frame); });
})();
