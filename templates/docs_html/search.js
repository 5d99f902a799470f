// Filters the method and type lists as you type, and opens the collapsed sections around
// (and of) the target of a link; without JavaScript the lists stay whole (and browsers that reveal
// a fragment's <details> themselves still do).
(function () {
  var box = document.getElementById("search");
  if (box) {
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll("li[data-search]").forEach(function (item) {
        var text = item.getAttribute("data-search");
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.classList.toggle("hidden", !match);
      });
    });
  }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var own = target && target.querySelector(":scope > details");
    if (own) own.open = true;  // a type expanded in a list: show its contents too
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
