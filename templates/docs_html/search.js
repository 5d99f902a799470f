// Filters the method and type lists as you type; without JavaScript the lists stay whole.
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll("li[data-search]").forEach(function (item) {
      var text = item.getAttribute("data-search");
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.classList.toggle("hidden", !match);
    });
  });
})();
